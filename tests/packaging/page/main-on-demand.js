// The page that loads threeds-kit when the customer pays: this prelude gives the README's recipe (appended
// below it by the test, as written there) its two functions, from the transaction in the query.
const params = new URLSearchParams(location.search);
const startThreeDS = async () => ({ methodUrl: params.get("methodUrl"), threeDSServerTransID: params.get("id"), notificationUrl: params.get("notificationUrl") });
const showResult = (r) => {
  window.result = { compInd: r.compInd };
  document.getElementById("outcome").textContent = JSON.stringify(window.result);
};
