/**
 * The kernel editor: Monaco with the whole kernel loaded as TypeScript models.
 *
 * Loaded only when the reader presses Edit (machine-element.ts imports this
 * module dynamically), because Monaco is by far the heaviest part of a page.
 * Every kernel file becomes a model at file:///src/kernel/…, and the machine
 * interface at file:///src/emu/machine-interface.ts, so imports resolve across
 * files and diagnostics are the real compiler's, with the repository's
 * compiler options. Only the chapter's files are editable; the rest are there
 * for types, hover and go-to-definition.
 *
 * Only the parts of Monaco the book uses are imported (the editor, its
 * features, TypeScript), not the package's every language.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/register.all.js';
import 'monaco-editor/languages/definitions/typescript/register.js';
import { typescriptDefaults } from 'monaco-editor/languages/features/typescript/register.js';
import { sources } from 'virtual:cotton-kernel/sources';
import monacoStyles from 'virtual:cotton-monaco-styles';
import machineInterface from '../../emu/machine-interface.ts?raw';
import './monaco-workers';
import { followTheme } from './page-theme';

const MACHINE_INTERFACE = 'src/emu/machine-interface.ts';

/** The repository's tsconfig.json, as the TypeScript worker takes it (enum values from TypeScript). */
const COMPILER_OPTIONS = {
  target: 9, // ES2022
  module: 99, // ESNext
  moduleResolution: 100, // Bundler
  lib: ['lib.es2022.d.ts'], // kernel code has no DOM (the API takes lib file names, not tsconfig's short names)
  strict: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  allowImportingTsExtensions: true,
  isolatedModules: true,
  noEmit: true,
};

export interface KernelEditorOptions {
  /** The files the reader may edit (tabs). */
  readonly files: readonly string[];
  /** The reader's current text for a file, or null for the original. */
  readonly edited: (file: string) => string | null;
  readonly onChange: (file: string, text: string) => void;
}

export interface KernelEditor {
  show(file: string): void;
  /** Replace a file's text (Reset, an exercise's starter); undoable. */
  setText(file: string, text: string): void;
  /** The file as the book ships it. */
  original(file: string): string;
  focus(): void;
}

const uriOf = (file: string): monaco.Uri => monaco.Uri.parse(`file:///${file}`);

/**
 * The compiler options, and diagnostics for the file on screen only: by
 * default Monaco checks every model it holds, here the whole kernel, which
 * kept a core busy for seconds after Edit and after every change (while the
 * reader's Reboot wanted it); a hidden file is checked when it is shown.
 */
function configureTypeScript(): void {
  typescriptDefaults.setCompilerOptions(COMPILER_OPTIONS);
  typescriptDefaults.setDiagnosticsOptions({
    ...typescriptDefaults.getDiagnosticsOptions(),
    onlyVisible: true,
  });
  typescriptDefaults.setEagerModelSync(true);
}

function createModels(options: KernelEditorOptions): Map<string, monaco.editor.ITextModel> {
  const models = new Map<string, monaco.editor.ITextModel>();
  const files: Record<string, string> = { ...sources, [MACHINE_INTERFACE]: machineInterface };
  for (const [file, original] of Object.entries(files)) {
    const uri = uriOf(file);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(original, 'typescript', uri);
    model.setValue(options.edited(file) ?? original);
    models.set(file, model);
  }
  return models;
}

/** Monaco's stylesheet, added to the page with the first editor (vite-plugin-monaco-styles.ts). */
function addMonacoStyles(): void {
  if (document.getElementById('cotton-monaco-styles')) return;
  const style = document.createElement('style');
  style.id = 'cotton-monaco-styles';
  style.textContent = monacoStyles;
  document.head.append(style);
}

export function createKernelEditor(
  container: HTMLElement,
  options: KernelEditorOptions,
): KernelEditor {
  addMonacoStyles();
  configureTypeScript();
  const models = createModels(options);
  const editor = monaco.editor.create(container, {
    automaticLayout: true,
    fontSize: 14,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    tabSize: 2,
  });
  followTheme((light) => monaco.editor.setTheme(light ? 'vs' : 'vs-dark'));
  for (const file of options.files) {
    const model = models.get(file);
    model?.onDidChangeContent(() => options.onChange(file, model.getValue()));
  }
  const modelOf = (file: string): monaco.editor.ITextModel => {
    const model = models.get(file);
    if (!model) throw new Error(`${file} is not a kernel file`);
    return model;
  };
  return {
    show(file) {
      editor.setModel(modelOf(file));
      editor.updateOptions({ readOnly: !options.files.includes(file) });
    },
    setText(file, text) {
      const model = modelOf(file);
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    },
    original(file) {
      return sources[file] ?? '';
    },
    focus() {
      editor.focus();
    },
  };
}
