// The camera: reads QR codes with the browser's BarcodeDetector, else with the vendored jsQR
// (window.jsQR, loaded by the page). The video shows once a camera is on. The page gives its elements and what to do with a code:
//
//   const camera = attachCamera({video, startButton, switchButton, torchButton,
//                                onCode: async (text) => ..., isBusy: () => busy,
//                                onStarted: () => ..., onError: () => ...});
//   camera.start();

export function attachCamera({video, startButton, switchButton, torchButton, onCode, isBusy, onStarted, onError}) {
  let stream = null;
  let cameras = [];
  let cameraIndex = 0;
  let torchOn = false;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", {willReadFrequently: true});
  const detector = "BarcodeDetector" in window ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;

  async function start(deviceId) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    try {
      if (stream) stream.getTracks().forEach((track) => track.stop());
      const constraints = deviceId ? {deviceId: {exact: deviceId}} : {facingMode: "environment"};
      stream = await navigator.mediaDevices.getUserMedia({video: constraints, audio: false});
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
      if (switchButton) switchButton.hidden = cameras.length < 2;
      const track = stream.getVideoTracks()[0];
      const caps = track.getCapabilities ? track.getCapabilities() : {};
      if (torchButton) torchButton.hidden = !caps.torch;
      if (startButton) startButton.hidden = true;
      if (onStarted) onStarted();
    } catch (e) {
      if (onError) onError(e);
    }
  }

  async function readFrame() {
    if (!stream || video.readyState < 2 || isBusy()) return;
    try {
      if (detector) {
        const codes = await detector.detect(video);
        if (codes.length) await onCode(codes[0].rawValue);
        return;
      }
      if (!window.jsQR) return;
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h) return;
      canvas.width = w;
      canvas.height = h;
      context.drawImage(video, 0, 0, w, h);
      const found = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, {inversionAttempts: "dontInvert"});
      if (found && found.data) await onCode(found.data);
    } catch (e) { /* a bad frame: try the next one */ }
  }

  function loop() {
    readFrame().finally(() => setTimeout(loop, 150));
  }

  if (startButton) startButton.addEventListener("click", () => start());
  if (switchButton) {
    switchButton.addEventListener("click", () => {
      cameraIndex = (cameraIndex + 1) % Math.max(cameras.length, 1);
      if (cameras[cameraIndex]) start(cameras[cameraIndex].deviceId);
    });
  }
  if (torchButton) {
    torchButton.addEventListener("click", async () => {
      torchOn = !torchOn;
      const track = stream && stream.getVideoTracks()[0];
      if (track) await track.applyConstraints({advanced: [{torch: torchOn}]}).catch(() => {});
      torchButton.setAttribute("aria-pressed", String(torchOn));
    });
  }
  loop();
  return {start};
}
