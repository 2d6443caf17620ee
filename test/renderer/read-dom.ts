// Reads what a page shows as plain values (a list's facts, a row's cells, the answer beside a
// button), so that a test asserts the text in its place: `expect(getByText(…))` alone cannot
// fail, since the query already throws when the text is missing anywhere on the page.
import { screen } from '@testing-library/react';

/** A landmark region by its accessible name (a card's heading or aria-label). */
export const region = (name: string) => screen.getByRole('region', { name });

/** A `<dl>`'s terms and their definitions' text, as `{ term: text }`. */
export function facts(container: HTMLElement): Record<string, string> {
  const found: Record<string, string> = {};
  for (const dt of container.querySelectorAll('dt')) {
    const dd = dt.nextElementSibling;
    if (dd?.tagName === 'DD') found[dt.textContent ?? ''] = dd.textContent ?? '';
  }
  return found;
}

/** A table row's cell texts, in column order. */
export const cellTexts = (row: HTMLElement) =>
  Array.from(row.querySelectorAll('td'), (td) => td.textContent ?? '');

/** The answer shown beside a button: its text, and whether it is shown as an error. */
export function answerBeside(buttonName: string): { text: string; error: boolean } {
  const button = screen.getByRole('button', { name: buttonName });
  const status = button.parentElement?.querySelector('[role="status"]');
  if (!status) throw new Error(`no answer region beside the ${buttonName} button`);
  return { text: status.textContent ?? '', error: status.classList.contains('result-error') };
}
