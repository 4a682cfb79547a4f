// State shared between pages: the calculator's latest total and the eligibility page's profile.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export interface Shared {
  score: number | null;
  setScore: (n: number | null) => void;
  profileText: string;
  setProfileText: (s: string) => void;
}

export const SharedContext = createContext<Shared>({
  score: null,
  setScore: () => {},
  profileText: "",
  setProfileText: () => {},
});
export const useShared = (): Shared => useContext(SharedContext);

export const PROFILE_TEXT_KEY = "ee.eligibility.profile";
export const SCORE_KEY = "ee.calculator.score";

export function readStorage(key: string, storage: "local" | "session" = "local"): string | null {
  try {
    return (storage === "local" ? localStorage : sessionStorage).getItem(key);
  } catch {
    return null;
  }
}
export function writeStorage(
  key: string,
  value: string | null,
  storage: "local" | "session" = "local",
): void {
  try {
    const s = storage === "local" ? localStorage : sessionStorage;
    if (value === null) s.removeItem(key);
    else s.setItem(key, value);
  } catch {
    /* storage unavailable */
  }
}

/** Today's date in Ottawa as YYYY-MM-DD. */
export function todayOttawa(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "America/Toronto" }).format(new Date());
}
