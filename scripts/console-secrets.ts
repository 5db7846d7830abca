/**
 * What the console's account commands are told that must not be on their command line, where npm
 * prints it back and `ps` and the shell history keep it: a new password (user:create,
 * user:password) and an ID number (user:create --with-id-number, user:id-number,
 * user:release-id). Each comes from its environment variable, for a script, or is typed at a
 * prompt that does not echo.
 */
/** Reads a line from the terminal without echoing it (raw mode; Ctrl-C aborts). */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stdout.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    stdin.setEncoding('utf8')
    let value = ''
    const done = (error?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      process.stdout.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new Error('aborted'))
        if (ch === '\u007F' || ch === '\b') value = Array.from(value).slice(0, -1).join('')
        else value += ch
      }
    }
    stdin.on('data', onData)
  })
}

/** From PORTAL_NEW_PASSWORD, or typed twice. */
export async function readNewPassword(): Promise<string> {
  if (process.env.PORTAL_NEW_PASSWORD) return process.env.PORTAL_NEW_PASSWORD
  if (!process.stdin.isTTY) throw new Error('no password: set PORTAL_NEW_PASSWORD or run on a terminal')
  const first = await promptHidden('password (at least 12 characters): ')
  const again = await promptHidden('the same password again: ')
  if (first !== again) throw new Error('the two passwords differ')
  return first
}

/** What an ID number given on the command line is answered with; the number itself is never repeated. */
export const ID_NUMBER_NOT_AN_ARGUMENT = 'the ID number is not taken on the command line, where npm prints it back and ps and the shell history keep it: '
  + 'set PORTAL_ID_NUMBER, or leave it out and type it when asked'

/**
 * From PORTAL_ID_NUMBER, or typed once: the number's own check digit catches a mistyped one. The
 * variable is for scripts; one left exported from an earlier command would otherwise pass for this
 * person's unnoticed, so its use is said (never the number).
 */
export async function readIdNumber(whose: string): Promise<string> {
  if (process.env.PORTAL_ID_NUMBER) {
    console.error(`${whose} ID number: taken from PORTAL_ID_NUMBER`)
    return process.env.PORTAL_ID_NUMBER
  }
  if (!process.stdin.isTTY) throw new Error('no ID number: set PORTAL_ID_NUMBER or run on a terminal')
  return promptHidden(`${whose} ID number (18 characters, not shown): `)
}
