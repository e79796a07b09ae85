// The payload inspector page. Everything shown is built with DOM nodes and textContent: a payload is
// untrusted input and never becomes markup.
import { inspectPayload, encodeMethodData, encodeCreq } from "/pkg/full.js";

const ID = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";
const ACS_ID = "d7c1ee99-9478-44a6-b1f2-391e29c6b340";
const base64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

const examples = {
  method: () => encodeMethodData({ threeDSServerTransID: ID, threeDSMethodNotificationURL: "https://merchant.example/3ds/method-notification" }),
  shift4: () => "eyJ0aHJlZURTTWV0aG9kTm90aWZpY2F0aW9uVVJMIjoibWVyY2hhbnRfc2VydmVyIiwidGhyZWVEU1NlcnZlclRyYW5zSUQiOiJjYzc4YzE5My1lYWVjLTQ5NGYtOWNmMC1lYjVmYTM5NDBiMTMifQ==",
  drift: () => base64(JSON.stringify({ threeDServerTransID: ID })),
  creq: () => encodeCreq({ threeDSServerTransID: ID, acsTransID: ACS_ID, messageVersion: "2.2.0", challengeWindowSize: "02" }),
  cres: () => `cres=${encodeURIComponent(base64(JSON.stringify({ threeDSServerTransID: ID, acsTransID: ACS_ID, messageType: "Cres", messageVersion: "2.2.0", transStatus: "Y", challengeCompletionInd: "Y" })))}&threeDSSessionData=b3JkZXItNDI`,
  erro: () => base64(JSON.stringify({ messageType: "Erro", errorCode: "402", errorComponent: "A", errorDescription: "Transaction timed out", errorDetail: "Challenge not completed in time", threeDSServerTransID: ID, messageVersion: "2.2.0" })),
};

const input = document.getElementById("payload");
const report = document.getElementById("report");

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function show() {
  report.replaceChildren();
  const value = input.value.trim();
  if (!value) return;
  let inspection;
  try {
    inspection = inspectPayload(value);
  } catch (error) {
    const box = element("div", undefined, "error");
    box.append(element("strong", error.code ?? "error"), element("span", ` ${error.message}`));
    report.append(box);
    return;
  }
  report.append(element("h2", `Kind: ${inspection.kind}`));
  if (inspection.warnings.length) {
    const list = element("ul", undefined, "warnings");
    for (const warning of inspection.warnings) list.append(element("li", warning));
    report.append(list);
  }
  const table = element("table");
  const head = element("tr");
  for (const title of ["Field", "Value", "Meaning"]) head.append(element("th", title));
  table.append(head);
  for (const field of inspection.fields) {
    const row = element("tr");
    row.append(element("td", field.name), element("td", field.value), element("td", field.meaning));
    table.append(row);
  }
  report.append(table, element("h2", "Decoded (normalised)"), element("pre", JSON.stringify(inspection.decoded, null, 2)));
}

input.addEventListener("input", show);
for (const button of document.querySelectorAll("[data-example]")) {
  button.addEventListener("click", () => {
    input.value = examples[button.dataset.example]();
    show();
  });
}
document.body.dataset.ready = "true";
