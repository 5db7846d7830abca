/**
 * How a console command ends: its `main` says the exit code (0 done, 1 refused or failed, 2 wrong
 * usage), and an error it did not expect (a database that cannot be opened, a full disk) is said
 * in one line as `<command> failed: <why>`, exit 1, not as a stack trace an operator must read.
 */
export function runCommand(command: string, main: () => number): void {
  try {
    process.exitCode = main()
  }
  catch (error) {
    console.error(`${command} failed: ${(error as Error).message}`)
    process.exitCode = 1
  }
}
