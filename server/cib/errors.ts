// One error type for every rejected CIB input or change: it names the problem
// (element id, field, line) so the CLI and the console can say exactly what is wrong.
export class CibError extends Error {
  constructor(
    message: string,
    public details: { elementId?: string; field?: string; line?: number; code?: string } = {},
  ) {
    super(message);
    this.name = "CibError";
  }
}
