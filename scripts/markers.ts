/**
 * Generated sections of hand-written Markdown: the text between `<!-- BEGIN name ... -->` and
 * `<!-- END name -->` belongs to the generator named in the first marker.
 */
export function replaceMarked (text: string, name: string, content: string, file: string): string {
  const begin = new RegExp(`<!-- BEGIN ${name}\\b[^>]*-->\\n`)
  const end = `<!-- END ${name} -->`
  const start = begin.exec(text)
  const stop = text.indexOf(end)
  if (start === null || stop < start.index) throw new Error(`${file} needs the markers <!-- BEGIN ${name} ... --> and ${end}`)
  const afterBegin = start.index + start[0].length
  return `${text.slice(0, afterBegin)}${content.trimEnd()}\n${text.slice(stop)}`
}
