import MethodCheck from "./method-check";

export default function Page() {
  return <MethodCheck />;
}
