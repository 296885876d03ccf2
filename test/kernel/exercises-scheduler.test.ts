/**
 * The scheduler chapter's exercises: each fails on its starter, with a message
 * for every check, and passes on the reference kernel.
 */
import { exercise as aging } from '../../exercises/scheduler/aging/exercise';
import { exercise as pickNext } from '../../exercises/scheduler/pick-next/exercise';
import { exercise as quantum } from '../../exercises/scheduler/quantum/exercise';
import { describeExercise } from './exercise-checks';

describeExercise(pickNext);
describeExercise(aging);
describeExercise(quantum);
