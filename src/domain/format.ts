/** Number formatting for explanation text: "12,345" without Intl, which is slow on hot paths. */
export function groupThousands(n: number): string {
  const text = String(n);
  const dot = text.indexOf(".");
  const int = dot < 0 ? text : text.slice(0, dot);
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return sign + out + (dot < 0 ? "" : text.slice(dot));
}

export const hoursText = (h: number) => `${groupThousands(Math.round(h))} h`;
