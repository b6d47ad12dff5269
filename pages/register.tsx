import { AuthLayout } from "@/components/auth/auth-layout";
import { RegisterForm } from "@/components/auth/register-form";
import { signedOutPageProps } from "@/server/auth/page-session";

export const getServerSideProps = signedOutPageProps;

export default function RegisterPage() {
  return (
    <AuthLayout title="Create account · Chat">
      <RegisterForm />
    </AuthLayout>
  );
}
