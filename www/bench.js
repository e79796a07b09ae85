// make bench drives this page: each function runs one 3DS Method with one library and reports timings.
import * as tds from "/pkg/browser.js";

const wallClock = () => performance.timeOrigin + performance.now();

// Registered first, so it sees every message when it is dispatched: the notification page's post time.
let lastNotificationAt = 0;
addEventListener("message", (event) => {
  if (event.origin === location.origin) lastNotificationAt = wallClock();
});

async function timedMethod(run) {
  lastNotificationAt = 0;
  const calledAt = wallClock();
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = { error: String(error.message ?? error) };
  }
  const settledAt = wallClock();
  return { calledAt, settledAt, notifiedAt: lastNotificationAt || null, outcome };
}

window.bench = {
  ours: (tx, timeoutMs = 10000) =>
    timedMethod(() => tds.runMethod({ methodUrl: tx.methodUrl, threeDSServerTransID: tx.threeDSServerTransID, notificationUrl: tx.notificationUrl, timeoutMs })),
  theirs: (tx, timeoutMs = 10000) =>
    timedMethod(() => {
      const methodData = tds.encodeMethodData({ threeDSServerTransID: tx.threeDSServerTransID, threeDSMethodNotificationURL: tx.notificationUrl });
      return GlobalPayments.ThreeDSecure.handle3dsVersionCheck({ enrolled: true, methodUrl: tx.methodUrl, methodData }, { timeout: timeoutMs, origin: location.origin });
    }),
};
document.body.dataset.ready = "true";
