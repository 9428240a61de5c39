// Preloaded by `npm run bench` (node --require): reports the process's peak resident memory when it exits.
process.on("exit", () => {
    process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\n`);
});
