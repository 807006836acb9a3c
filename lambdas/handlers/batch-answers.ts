import type { ResultsAnswer } from '../usecases/batch/requests';
import type { RouteResult } from './http';

/** The results CSV itself, or the JSON link to download a large one. */
export const resultsResult = (answer: ResultsAnswer): RouteResult =>
  'csv' in answer ? { body: answer.csv, contentType: 'text/csv; charset=utf-8' } : { body: answer.link };
