import { AuthLayout } from "@/components/auth/auth-layout";
import { LoginForm } from "@/components/auth/login-form";
import { signedOutPageProps } from "@/server/auth/page-session";

export const getServerSideProps = signedOutPageProps;

export default function LoginPage() {
  return (
    <AuthLayout title="Sign in · Chat">
      <LoginForm />
    </AuthLayout>
  );
}
