/**
 * The paging chapter's exercises: each fails on its starter, with a message
 * for every check, and passes on the reference kernel.
 */
import { exercise as allocate } from '../../exercises/paging/allocate/exercise';
import { exercise as pageFault } from '../../exercises/paging/page-fault/exercise';
import { exercise as translate } from '../../exercises/paging/translate/exercise';
import { describeExercise } from './exercise-checks';

describeExercise(allocate);
describeExercise(translate);
describeExercise(pageFault);
