import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentViewer } from "@/lib/auth/viewer";
import { oidcEnabled } from "@/lib/auth/options";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { LoginForm } from "@/components/shell/login-form";
import { Logo } from "@/components/shell/logo";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  AccessDenied: "Your account is not allowed to sign in to Wakeboard. Ask an admin for access.",
  CredentialsSignin: "Wrong email or password.",
  OAuthSignin: "Single sign-on failed to start. Try again or ask an admin.",
  OAuthCallback: "Single sign-on failed. Try again or ask an admin.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
  const back = safeCallbackUrl(callbackUrl);
  if (await currentViewer()) redirect(back);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6 flex flex-col items-center gap-2 text-center">
          <Logo className="h-10 w-10" />
          <h1 className="text-xl font-semibold">Sign in to Wakeboard</h1>
          <p className="text-sm text-slate-500">How much each team really uses AI coding agents.</p>
        </div>
        <LoginForm sso={oidcEnabled()} initialError={error ? (ERRORS[error] ?? "Sign-in failed. Try again.") : undefined} callbackUrl={back} />
      </div>
    </main>
  );
}
