/** Number formatting for explanation text: "12,345" without Intl, which is slow on hot paths. */
export function groupThousands(n: number): string {
  const [int, frac] = String(n).split(".");
  const grouped = (int ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

export const hoursText = (h: number) => `${groupThousands(Math.round(h))} h`;
