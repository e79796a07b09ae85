"use client";
// The client component: runMethod from "threeds-kit" (the browser build), with the query's transaction, on mount.
import { useEffect, useState } from "react";
import { runMethod } from "threeds-kit";

export default function MethodCheck() {
  const [outcome, setOutcome] = useState("running");
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const show = (result) => {
      window.result = result;
      setOutcome(JSON.stringify(result));
    };
    runMethod({ methodUrl: params.get("methodUrl"), threeDSServerTransID: params.get("id"), notificationUrl: params.get("notificationUrl") })
      .then((r) => show({ compInd: r.compInd }), (e) => show({ error: `${e.name}: ${e.message}` }));
  }, []);
  return <p id="outcome">{outcome}</p>;
}
