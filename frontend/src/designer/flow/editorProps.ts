// What every flow editor gets from the designer page that hosts it as a tab.
import type { Definition, Problem } from './types';

export interface FlowEditorProps {
  /** The ticket type's key (for simulations, the run log). */
  typeKey: string;
  /** The working draft. */
  definition: Definition;
  /** Replace the draft; the page saves it (debounced, with If-Match). */
  onChange: (next: Definition) => void;
  /** The server's problems of the last saved draft. */
  errors: Problem[];
  warnings: Problem[];
  /** A JSON pointer to show (from an error link): the editor selects and scrolls to it. */
  focus?: string | null;
  /** Save the draft now and wait; simulations read the saved draft. */
  flush: () => Promise<boolean>;
}

/** Problems under a JSON pointer prefix. */
export function problemsUnder(problems: Problem[], prefix: string): Problem[] {
  return problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}/`));
}
