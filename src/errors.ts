// Errors caused by the user's input (a bad file, an impossible option). The
// CLI prints their message as one line and exits non-zero; anything else is
// a bug in armvisor and keeps its stack.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
