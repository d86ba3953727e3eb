import { errorMessage, isApiError } from '../api';

type FormWithErrors = { setErrors: (errors: Record<string, string>) => void };

/**
 * Puts a VALIDATION_FAILED answer's `fields` onto the matching inputs and returns the sentence
 * for the form-level alert.
 */
export function applyServerError(form: FormWithErrors, error: unknown): string {
  if (isApiError(error) && Object.keys(error.fields).length > 0) form.setErrors(error.fields);
  return errorMessage(error);
}
