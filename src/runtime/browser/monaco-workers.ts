/**
 * Where Monaco gets its web workers: the editor worker (diffing, word
 * ranges) and the TypeScript worker (types, diagnostics, completion), bundled
 * by Vite from monaco-editor's ESM build through `?worker` imports. Importing
 * this module installs them; editor.ts imports it before creating an editor.
 */
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker.js?worker';

self.MonacoEnvironment = {
  getWorker(_moduleId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript'
      ? new TypeScriptWorker()
      : new EditorWorker();
  },
};
