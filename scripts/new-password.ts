/**
 * A new password for the console's account commands (user:create, user:password): from
 * PORTAL_NEW_PASSWORD, or typed twice at a prompt that does not echo. Never from the command
 * line, where `ps` and the shell history would keep it.
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

export async function readNewPassword(): Promise<string> {
  if (process.env.PORTAL_NEW_PASSWORD) return process.env.PORTAL_NEW_PASSWORD
  if (!process.stdin.isTTY) throw new Error('no password: set PORTAL_NEW_PASSWORD or run on a terminal')
  const first = await promptHidden('password (at least 12 characters): ')
  const again = await promptHidden('the same password again: ')
  if (first !== again) throw new Error('the two passwords differ')
  return first
}
