/**
 * The JavaScript a citizen downloads for the home page: every `<script src>` and modulepreload of
 * the server-rendered HTML, each compressed with gzip at level 9 as a server or CDN would send it.
 */
import { gzipSync } from 'node:zlib'

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1]
}

/** The scripts a page's HTML makes the browser fetch. */
export function scriptUrls(html: string): string[] {
  const urls = new Set<string>()
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src')
    if (src) urls.add(src)
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attr(tag, 'rel')?.toLowerCase()
    const href = attr(tag, 'href')
    if (href && (rel === 'modulepreload' || (rel === 'preload' && attr(tag, 'as') === 'script'))) urls.add(href)
  }
  return [...urls]
}

/** Total gzip -9 bytes of the home page's scripts. */
export async function homePageScript(base: string): Promise<number> {
  const html = await (await fetch(`${base}/`)).text()
  let total = 0
  for (const url of scriptUrls(html)) {
    const res = await fetch(new URL(url, `${base}/`))
    if (!res.ok) throw new Error(`${url}: ${res.status}`)
    total += gzipSync(Buffer.from(await res.arrayBuffer()), { level: 9 }).length
  }
  return total
}
