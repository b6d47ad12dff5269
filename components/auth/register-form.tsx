import { useRouter } from "next/router";
import { useState, type FormEvent } from "react";
import { NavLink } from "@/components/nav-link";
import { PASSWORD_MIN_LENGTH, registrationSchema } from "@/lib/validation";
import { Field, FormError, SubmitButton } from "./form-parts";
import { signInWithPassword } from "./sign-in";

export function RegisterForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      username: String(form.get("username")),
      displayName: String(form.get("displayName")),
      password: String(form.get("password")),
    };
    const checked = registrationSchema.safeParse(input);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? "Please check the form");
      return;
    }
    setPending(true);
    setError(null);
    const response = await fetch("/api/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? "Could not create the account. Please try again.");
      setPending(false);
      return;
    }
    const failure = await signInWithPassword(checked.data.username, input.password);
    if (failure) {
      setError(failure);
      setPending(false);
      return;
    }
    router.replace("/");
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h1 className="text-2xl font-semibold">Create account</h1>
      <FormError message={error} />
      <Field label="Username" name="username" autoComplete="username" required autoCapitalize="none" />
      <Field label="Display name" name="displayName" autoComplete="name" required />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        aria-describedby="password-hint"
      />
      <p id="password-hint" className="-mt-2 text-xs text-slate-500">
        At least {PASSWORD_MIN_LENGTH} characters.
      </p>
      <SubmitButton pending={pending}>Create account</SubmitButton>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <NavLink href="/login" className="font-medium text-brand-600 hover:underline">
          Sign in
        </NavLink>
      </p>
    </form>
  );
}
