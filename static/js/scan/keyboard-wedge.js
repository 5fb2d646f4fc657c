// A USB scanner "types" the code as key presses of a US keyboard. The characters a page
// receives depend on the computer's layout (AZERTY gives "&" for the key that means "1",
// QWERTZ swaps Y and Z), so we decode the physical key, KeyboardEvent.code, by the US
// layout: Digit1 → "1", KeyA → "A", Numpad1 → "1", Minus → "-". Keys ended by Enter (or
// Tab) form a scan. It listens on the whole page, so no field needs to be clicked; keys
// typed into a form field are left to that field (the server reads AZERTY text there).

const US = {Minus: "-", Period: ".", Slash: "/"};
const PAUSE_MS = 300; // a longer pause starts a new code

export function charForCode(code) {
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  if (/^Numpad[0-9]$/.test(code)) return code.slice(6);
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  return US[code] || "";
}

export function attachWedge(target, onScan, {minLength = 6} = {}) {
  let buffer = "";
  let last = 0;
  target.addEventListener("keydown", (event) => {
    const el = event.target;
    if (el && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const now = performance.now();
    if (now - last > PAUSE_MS) buffer = "";
    last = now;
    if (event.code === "Enter" || event.code === "NumpadEnter" || event.code === "Tab") {
      if (buffer.length >= minLength) {
        event.preventDefault();
        onScan(buffer);
      }
      buffer = "";
      return;
    }
    const ch = charForCode(event.code);
    if (ch) {
      buffer += ch;
      event.preventDefault();
    }
  }, true);
}
