// The viewer's time zone, for the server to show times in: read from the browser, kept in a cookie for a year.
document.cookie = "fm_tz=" + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone) + "; path=/; max-age=31536000; samesite=lax";
