// The arrivals board updates its figures in place: every few seconds it fetches them again (a
// background request, not activity that keeps a session alive) and replaces them, so the page
// neither reloads nor loses the reader's place. A failed fetch leaves the last figures.
const board = document.getElementById("board");
const figures = document.getElementById("board-figures");

async function update() {
  try {
    const response = await fetch(board.dataset.figures, {credentials: "same-origin",
      headers: {"X-Jobday-Background": "1"}});
    if (!response.ok || response.redirected) return;
    figures.innerHTML = await response.text();
    board.dataset.updates = String(Number(board.dataset.updates || 0) + 1);
  } catch (e) { /* offline for a moment: the next round tries again */ }
}

setInterval(update, Number(board.dataset.every) * 1000);
