// What a scan gives, made comparable to a badge code on the page (the server reads it again
// with the badge alphabet's check symbol): AZERTY digits typed by hand become digits, spaces
// and separators go, letters are upper case. And a fresh nonce for each scan, so that a
// retried request is recorded once.

const AZERTY = {"&": "1", "é": "2", "\"": "3", "'": "4", "(": "5", "è": "7", "ç": "9", "à": "0"};

export function localCode(raw) {
  let text = "";
  for (const ch of raw.normalize("NFKC")) text += AZERTY[ch] || ch;
  return text.replace(/[\s\-_.·/\u2010-\u2015\u2212]+/g, "").replace(/[\x00-\x1f\x7f]/g, "").toUpperCase();
}

export function nonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
