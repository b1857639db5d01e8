/** The integer `text` spells (decimal digits, an optional minus) when it lies in [min, max]; undefined otherwise. */
export function parseInteger (text: string, min: number, max: number): number | undefined {
  const n = Number(text)
  return /^-?\d+$/.test(text.trim()) && n >= min && n <= max ? n : undefined
}
