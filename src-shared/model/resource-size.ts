/** Sizes in the registry's `resources.memory` ("512Mi", "1Gi", "256M", plain bytes) as bytes. */

const UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** The syntax the schema accepts; a size that passed it always converts. */
export const SIZE_PATTERN = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/;

export function sizeBytes(size: string): number {
  const [, number, unit] = SIZE_PATTERN.exec(size)!;
  return Math.round(Number(number) * UNITS[unit ?? '']!);
}
