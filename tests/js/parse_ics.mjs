// Parse one iCalendar stream (stdin) with Mozilla's ical.js and print its events as JSON.
//
//   TZ=UTC node tests/js/parse_ics.mjs < feed.ics
//
// Output: a JSON list, one object per VEVENT in file order:
//   {uid, start_utc, end_utc, status, sequence, summary}
// start_utc/end_utc are ISO 8601 UTC ("2026-07-13T14:00:00Z"); status, sequence and summary
// are null when the event has none. Every VTIMEZONE of the calendar is registered with
// ICAL.TimezoneService, so TZID= times resolve through the feed's own zone definitions and
// never through this machine's zone. A TZID without a VTIMEZONE in the calendar is an error
// (RFC 5545 requires one; ical.js would otherwise read the time as floating), as is any
// parse failure: the message goes to stderr and the exit status is 1.
//
// Used by tests/ical_js.py (parse_with_icaljs) as the third independent parser of the feeds.
import ICAL from "ical.js";

// Floating times would otherwise depend on the machine's zone; tests/ical_js.py sets it too.
process.env.TZ = "UTC";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function isoUtc(time, what, uid) {
  if (!time) {
    return null;
  }
  if (time.isDate) {
    throw new Error(`${what} of event ${uid} is a DATE (all-day), not a DATE-TIME`);
  }
  const utc = time.convertToZone(ICAL.Timezone.utcTimezone);
  return utc.toJSDate().toISOString().replace(/\.000Z$/, "Z");
}

function checkZone(component, propName, uid) {
  const prop = component.getFirstProperty(propName);
  if (!prop) {
    return;
  }
  const tzid = prop.getParameter("tzid");
  if (!tzid) {
    return;
  }
  const zone = prop.getFirstValue().zone;
  if (!zone || zone.tzid !== tzid) {
    throw new Error(
      `${propName.toUpperCase()} of event ${uid} has TZID=${tzid} but the calendar ` +
        "has no VTIMEZONE for it (ical.js would read it as a floating time)",
    );
  }
}

function eventsOf(vcalendar) {
  for (const vtimezone of vcalendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  return vcalendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const uid = event.uid;
    checkZone(vevent, "dtstart", uid);
    checkZone(vevent, "dtend", uid);
    const sequence = vevent.getFirstPropertyValue("sequence");
    return {
      uid,
      start_utc: isoUtc(event.startDate, "DTSTART", uid),
      // endDate is DTEND, or DTSTART + DURATION when the event has a DURATION instead.
      end_utc: isoUtc(event.endDate, "DTEND", uid),
      status: vevent.getFirstPropertyValue("status"),
      sequence: sequence === null || sequence === undefined ? null : Number(sequence),
      summary: event.summary ?? null,
    };
  });
}

try {
  const text = await readStdin();
  const parsed = ICAL.parse(text);
  // ICAL.parse returns one jCal component, or a list when the stream holds several.
  const roots = Array.isArray(parsed[0]) ? parsed : [parsed];
  const events = [];
  for (const jcal of roots) {
    const root = new ICAL.Component(jcal);
    if (root.name !== "vcalendar") {
      throw new Error(`expected a VCALENDAR, got ${root.name.toUpperCase()}`);
    }
    events.push(...eventsOf(root));
  }
  process.stdout.write(JSON.stringify(events, null, 2) + "\n");
} catch (error) {
  process.stderr.write(`ical.js could not parse the calendar: ${error?.stack ?? error}\n`);
  process.exit(1);
}
