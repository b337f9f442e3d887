/* The door scanner page (/checkin), one module that starts its parts:
 *   checkin-offline.js   badges checked on this device while the server cannot be reached
 *   checkin-scanner.js   the code field, each scan and its answer, Undo
 *   checkin-counters.js  arrivals so far
 *   checkin-desk.js      the door lists and the lost-badge search
 *   checkin-walkin.js    walk-in registration
 *   checkin-camera.js    badges read with the camera
 * They share checkin-api.js (the one client of the check-in API), checkin-page.js (the
 * page's addresses and words) and checkin-result.js (the answer panel, recent scans). */

import { startCamera } from "./checkin-camera.js";
import { startCounters } from "./checkin-counters.js";
import { startDesk } from "./checkin-desk.js";
import { startOffline } from "./checkin-offline.js";
import { startScanner } from "./checkin-scanner.js";
import { startWalkIn } from "./checkin-walkin.js";

startOffline();
startScanner();
startCounters();
startDesk();
startWalkIn();
startCamera();

// Every part is listening now: a scan typed from here on is handled (the page may be
// focused and typed into before its modules have run).
document.body.dataset.scannerReady = "true";
