/**
 * Scoring one input the way every interface does (`ee crs`, `POST /api/score`): a CRS questionnaire
 * is scored as given; a full profile is validated, turned into the questionnaire of the as-of date,
 * and scored the same way.
 */
import { type CrsOutcome, scoreQuestionnaire } from "../domain/crs/score.js";
import { validateProfile } from "../domain/eligibility/report.js";
import { profileToQuestionnaire } from "../domain/profile/derive.js";
import { looksLikeProfile } from "../domain/profile/profile.js";
import type { RuleBook } from "../rules/index.js";

export interface ScoreInputOptions {
  /** YYYY-MM-DD; default: the questionnaire's own asOf, else `today()`. */
  asOf?: string;
  book: RuleBook;
  today: () => string;
}

export function scoreInput(input: unknown, { asOf, book, today }: ScoreInputOptions): CrsOutcome {
  if (!looksLikeProfile(input)) return scoreQuestionnaire(input, { asOf, book, today });
  const validated = validateProfile(input, book);
  if (validated.status === "invalid") return validated;
  const day = asOf ?? today();
  return scoreQuestionnaire(profileToQuestionnaire(validated.profile, day, book).questionnaire, {
    asOf: day,
    book,
    today,
  });
}
