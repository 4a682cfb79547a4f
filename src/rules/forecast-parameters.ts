/** The forecast's parameters (rules/forecast.json), each with its note there. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { ForecastParameters } from "../domain/forecast/forecast.js";
import { rulesDirectory } from "./load.js";
import { isoDateSchema } from "./schema.js";

const value = <T extends z.ZodType>(schema: T) => z.strictObject({ value: schema, note: z.string().min(1) });
const positiveInt = z.number().int().positive();
const probability = z.number().min(0).max(1);

export const forecastParametersFileSchema = z
  .strictObject({
    note: z.string().min(1),
    backtestFrom: value(isoDateSchema),
    inflowWindowDays: value(z.number().int().nonnegative()),
    recentRounds: value(positiveInt),
    minKindRounds: value(positiveInt),
    errorWindow: value(positiveInt),
    kappaRidge: value(z.number().positive()),
    kappaPrior: value(probability),
    interval: z.strictObject({ low: probability, high: probability, note: z.string().min(1) }),
  })
  .refine((f) => f.interval.low < f.interval.high, {
    path: ["interval"],
    message: "low must be below high",
  });

export interface ForecastSettings {
  params: ForecastParameters;
  /** The first round date the backtest scores. */
  backtestFrom: string;
}

export function forecastSettingsOf(file: z.infer<typeof forecastParametersFileSchema>): ForecastSettings {
  return {
    backtestFrom: file.backtestFrom.value,
    params: {
      inflowWindowDays: file.inflowWindowDays.value,
      recentRounds: file.recentRounds.value,
      minKindRounds: file.minKindRounds.value,
      errorWindow: file.errorWindow.value,
      kappaRidge: file.kappaRidge.value,
      kappaPrior: file.kappaPrior.value,
      lowQuantile: file.interval.low,
      highQuantile: file.interval.high,
    },
  };
}

let cached: ForecastSettings | undefined;
/** The package's forecast settings, read and validated once. */
export function forecastSettings(dir = rulesDirectory()): ForecastSettings {
  if (!cached || dir !== rulesDirectory()) {
    const file = forecastParametersFileSchema.parse(
      JSON.parse(readFileSync(join(dir, "forecast.json"), "utf8")),
    );
    const settings = forecastSettingsOf(file);
    if (dir !== rulesDirectory()) return settings;
    cached = settings;
  }
  return cached;
}
