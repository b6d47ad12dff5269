import { useRouter } from "next/router";
import { useState, type FormEvent } from "react";
import { NavLink } from "@/components/nav-link";
import { Field, FormError, SubmitButton } from "./form-parts";
import { signInWithPassword } from "./sign-in";

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const failure = await signInWithPassword(String(form.get("username")), String(form.get("password")));
    if (failure) {
      setError(failure);
      setPending(false);
      return;
    }
    router.replace("/");
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <FormError message={error} />
      <Field label="Username" name="username" autoComplete="username" required autoCapitalize="none" />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <SubmitButton pending={pending}>Sign in</SubmitButton>
      <p className="text-center text-sm text-slate-600">
        New here?{" "}
        <NavLink href="/register" className="font-medium text-brand-600 hover:underline">
          Create an account
        </NavLink>
      </p>
    </form>
  );
}
