// Small accessible form controls: every input has a label, errors are tied with aria-describedby.
import type { ComponentChildren } from "preact";
import { useI18n } from "./i18n";

export const fieldId = (path: string): string => `q-${path.replace(/\./g, "-")}`;

interface Base {
  path: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  onBlur?: () => void;
}

function describedBy(path: string, error?: string, hint?: string): string | undefined {
  const ids = [hint ? `${fieldId(path)}-hint` : "", error ? `${fieldId(path)}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function FieldMessages({ path, error, hint }: { path: string; error?: string; hint?: string }) {
  return (
    <>
      {hint && (
        <span class="hint" id={`${fieldId(path)}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="field-error" id={`${fieldId(path)}-error`}>
          {error}
        </span>
      )}
    </>
  );
}

export function TextField(
  props: Base & {
    value: string;
    onInput: (v: string) => void;
    type?: "text" | "date" | "password" | "datetime-local";
    inputMode?: "decimal" | "numeric" | "text";
    placeholder?: string;
    extra?: ComponentChildren;
    autoComplete?: string;
  },
) {
  const { path, label, error, hint } = props;
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={fieldId(path)}>{label}</label>
      <input
        id={fieldId(path)}
        name={path}
        {...({ type: props.type ?? "text" } as { type: "text" })}
        inputMode={props.inputMode}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? "off"}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(path, error, hint)}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        onBlur={props.onBlur}
      />
      {props.extra}
      <FieldMessages path={path} error={error} hint={hint} />
    </div>
  );
}

export function SelectField(
  props: Base & {
    value: string;
    onChange: (v: string) => void;
    options: readonly (readonly [string, string])[];
    placeholder?: string;
  },
) {
  const { path, label, error, hint } = props;
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={fieldId(path)}>{label}</label>
      <select
        id={fieldId(path)}
        name={path}
        value={props.value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(path, error, hint)}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
        onBlur={props.onBlur}
      >
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      <FieldMessages path={path} error={error} hint={hint} />
    </div>
  );
}

export function YesNo(props: Base & { value: boolean | null; onChange: (v: boolean) => void }) {
  const { t } = useI18n();
  const { path, label, error, hint } = props;
  const id = fieldId(path);
  return (
    <fieldset
      class={`field yesno${error ? " has-error" : ""}`}
      id={id}
      aria-invalid={error ? "true" : undefined}
      aria-describedby={describedBy(path, error, hint)}
    >
      <legend>{label}</legend>
      <div class="choices">
        {([true, false] as const).map((v) => (
          <label key={String(v)} class="choice">
            <input
              type="radio"
              name={path}
              id={`${id}-${v ? "yes" : "no"}`}
              checked={props.value === v}
              onChange={() => props.onChange(v)}
              onBlur={props.onBlur}
            />
            {v ? t("common.yes") : t("common.no")}
          </label>
        ))}
      </div>
      <FieldMessages path={path} error={error} hint={hint} />
    </fieldset>
  );
}

export function Status({ loading, error }: { loading?: boolean; error?: string | null }) {
  const { t } = useI18n();
  return (
    <div aria-live="polite" class="status">
      {loading && <p class="loading">{t("common.loading")}</p>}
      {error && (
        <p class="error-banner" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function ExtLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <span class="visually-hidden"> {t("common.newWindow")}</span>
    </a>
  );
}
