#include "cli/options.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "engine/core/time.h"

namespace hindcast::cli {
namespace po = boost::program_options;
namespace {

constexpr const char* kUsage = R"(usage: hindcast COMMAND [OPTIONS] PATH...

Reconstructs what happened during an outage from the logs it left behind.

commands:
  analyze    draft a blameless postmortem (Markdown, HTML, or the JSON report)
  timeline   print every event on one UTC timeline, or export it (CSV, Timesketch, ECS)
  sniff      show each file's detected format and how its times will be resolved
  export     send every event to a ClickHouse table (a fleet's store); analyze --clickhouse reads
             a window of its hosts back

Run 'hindcast COMMAND --help' for the options of one command.

)";

constexpr const char* kExitCodes =
    "exit codes: 0 done, 1 usage error, 2 nothing readable in the inputs (or, for analyze, in the window), 3 the "
    "ClickHouse store failed, 4 out of memory";

struct CommandInfo {
  const char* name;
  Command command;
  const char* summary;
  const char* formats;
  const char* default_format;
  const char* examples;
};

constexpr CommandInfo kCommands[] = {
    {"analyze", Command::kAnalyze,
     "Drafts a blameless postmortem from the logs under PATH: Markdown (default), a self-contained\n"
     "HTML page with charts (--format html), or the JSON report (--format json, a stable contract).\n"
     "At a terminal a short coloured summary comes first.",
     "md|json|html", "md",
     "hindcast analyze /var/log/incident-2023-11-03/\n"
     "  hindcast analyze logs/ --format html -o report.html\n"
     "  hindcast analyze logs/ --format json -o report.json --tz America/New_York\n"
     "  hindcast analyze --clickhouse http://127.0.0.1:8123/ --since 2023-11-03T13:00:00Z --until 2023-11-03T13:10:00Z"},
    {"timeline", Command::kTimeline,
     "Prints every event of every source on one UTC timeline, or exports it for other tools:\n"
     "jsonl (hindcast's own), csv (with a header), timesketch (Timesketch's JSONL importer),\n"
     "ecs (Elastic Common Schema JSON lines). docs/formats.md lists every field.",
     "text|jsonl|csv|timesketch|ecs|count", "text",
     "hindcast timeline logs/ --since 2023-11-03T13:00:00Z --until 2023-11-03T13:05:00Z\n"
     "  hindcast timeline logs/ --format timesketch -o incident.jsonl\n"
     "  hindcast timeline logs/ --format ecs -o incident.ndjson\n"
     "  hindcast timeline logs/ --format csv -o timeline.csv"},
    {"sniff", Command::kSniff,
     "Shows, per file, the detected format, its score, the runner-up and the time basis.", "", "",
     "hindcast sniff logs/\n  hindcast sniff access.log --access-format '%h %l %u %t \"%r\" %>s %b %D'"},
    {"export", Command::kExport,
     "Parses and resolves the logs under PATH as timeline does and sends every event (its time, host,\n"
     "file, line, format, kind, severity, pid, the fields the analysis uses, the text) to a ClickHouse\n"
     "table over its HTTP interface, creating the table when it is missing. Exporting the same files\n"
     "again replaces their rows. Each host exports its own logs; `analyze --clickhouse` then reads a\n"
     "window of every host (or of some) back. docs/fleet.md describes the table.",
     "", "",
     "hindcast export --clickhouse http://127.0.0.1:8123/ /var/log/\n"
     "  hindcast export --clickhouse http://ch.example:8123/ --table fleet.events --host web-07 /var/log/apache2/\n"
     "  hindcast analyze --clickhouse http://ch.example:8123/ --table fleet.events \\\n"
     "      --since 2023-11-03T13:00:00Z --until 2023-11-03T13:10:00Z --hosts web-07,db-2"},
};

// The fleet options: what each command needs of them and what does not go with them.
std::optional<std::string> check_store_options(Options& o, const po::variables_map& vm, const std::string& hosts) {
  for (size_t from = 0; from < hosts.size();) {
    const size_t comma = std::min(hosts.find(',', from), hosts.size());
    if (comma > from) o.store.hosts.push_back(hosts.substr(from, comma - from));
    from = comma + 1;
  }
  if (o.command == Command::kExport) {
    if (o.store.url.empty()) return "--clickhouse URL is needed: the server to send the events to";
    if (o.ingest.inputs.empty()) return "no PATH given (see --help)";
    if (vm.count("since") || vm.count("until"))
      return "--since/--until: export sends every event; choose the window when you analyze";
    return std::nullopt;
  }
  if (o.store.url.empty()) {
    if (!o.store.hosts.empty()) return "--hosts reads hosts from a store: give --clickhouse URL too";
    return std::nullopt;
  }
  if (!o.ingest.inputs.empty()) return "--clickhouse reads the logs from the store: give no PATH";
  if (!vm.count("since") || !vm.count("until"))
    return "--clickhouse needs --since and --until: the window to read back (e.g. the ten minutes around the incident)";
  for (const char* resolved : {"tz", "year", "date", "access-format"})
    if (vm.count(resolved))
      return std::string("--") + resolved + ": the store holds times resolved at export; give it to export instead";
  return std::nullopt;
}

bool parse_instant_option(const std::string& name, const std::string& text, std::optional<Instant>* out) {
  Instant t;
  if (!parse_rfc3339(text, &t)) {
    std::cerr << "hindcast: --" << name << " " << text
              << ": not an RFC 3339 time (e.g. 2023-11-03T13:00:00Z)\n";
    return false;
  }
  *out = t;
  return true;
}

// The input that -o FILE would overwrite, if any: FILE is an input (the same device and inode,
// so a hard link or a symlink to it counts), or an existing file inside an input directory (it is
// one of the files this run reads). A new file written into an input directory is not refused.
std::optional<std::string> output_overwrites_input(const std::string& output, const std::vector<std::string>& inputs) {
  struct stat out {};
  if (output.empty() || output == "-" || ::stat(output.c_str(), &out) != 0 || !S_ISREG(out.st_mode)) return std::nullopt;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path out_path = fs::weakly_canonical(output, ec);
  for (const std::string& input : inputs) {
    struct stat in {};
    if (::stat(input.c_str(), &in) != 0) continue;
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) return input;
    if (!S_ISDIR(in.st_mode) || ec) continue;
    std::error_code iec;
    const fs::path dir = fs::weakly_canonical(input, iec);
    if (iec) continue;
    if (std::mismatch(dir.begin(), dir.end(), out_path.begin(), out_path.end()).first == dir.end()) return input;
  }
  return std::nullopt;
}

}  // namespace

std::variant<Options, int> parse_command_line(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" ||
      std::string(argv[1]) == "help") {
    std::cout << kUsage << kExitCodes << "\n";
    return argc < 2 ? kExitUsage : kExitOk;
  }
  if (std::string(argv[1]) == "--version") {
    std::cout << "hindcast " << HINDCAST_VERSION << "\n";
    return kExitOk;
  }
  const CommandInfo* info = nullptr;
  for (const auto& c : kCommands)
    if (argv[1] == std::string(c.name)) info = &c;
  if (!info) {
    std::cerr << "hindcast: unknown command '" << argv[1] << "'\n" << kUsage << kExitCodes << "\n";
    return kExitUsage;
  }

  Options o;
  o.command = info->command;
  std::string tz, since, until, date;
  int year = 0;
  bool verbose = false, quiet = false;
  po::options_description desc(std::string("usage: hindcast ") + info->name +
                               " [OPTIONS] PATH...\n\n" + info->summary +
                               "\nPATH: log files or directories (searched recursively); .gz is read "
                               "transparently.\n\noptions", 100, 50);
  auto add = desc.add_options();
  add("help,h", "show this help");
  if (*info->formats) {
    add("format,f", po::value(&o.format)->default_value(info->default_format)->value_name("FORMAT"),
        (std::string("output format: ") + info->formats).c_str());
    add("output,o", po::value(&o.output_file)->value_name("FILE"), "write to FILE instead of standard output");
  }
  add("tz", po::value(&tz)->value_name("ZONE"), "zone of sources that carry none (tz database name, e.g. Europe/Berlin); "
                            "default: inferred from the sources that do");
  add("year", po::value(&year)->value_name("YYYY"), "year of sources that carry none, when no dated source overlaps them");
  add("date", po::value(&date)->value_name("YYYY-MM-DD"),
      "date of time-of-day sources (strace -t/-tt), when no dated source overlaps them; default: the file's "
      "modification time");
  add("access-format", po::value(&o.ingest.access_format)->value_name("LOGFORMAT"),
      "the format of access logs in a custom format: an Apache LogFormat, e.g. '%v %h %l %u %t \"%r\" %>s %b %D', "
      "or an nginx log_format, e.g. '$remote_addr - $remote_user [$time_local] \"$request\" $status "
      "$body_bytes_sent $request_time'");
  add("since", po::value(&since)->value_name("TIME"), "keep events at or after this UTC time (RFC 3339)");
  add("until", po::value(&until)->value_name("TIME"), "keep events at or before this UTC time (RFC 3339)");
  add("threads,j", po::value(&o.threads)->default_value(0)->value_name("N"), "threads for reading and parsing (0: one per core)");
  add("color", po::value(&o.color)->default_value("auto")->value_name("WHEN"),
      "colour on a terminal: auto|always|never (auto honours NO_COLOR and TERM=dumb)");
  add("progress", po::value(&o.progress)->default_value("auto")->value_name("WHEN"),
      "progress bar on standard error for long runs (over ~100 MB or ~2 s): auto|always|never; "
      "auto shows it only on a terminal, never in pipes or when CI is set");
  if (info->command == Command::kAnalyze)
    add("summary", po::value(&o.summary)->default_value("auto")->value_name("WHEN"),
        "short summary on standard output before the report: auto (when it is a terminal)|always|never");
  std::string hosts;
  if (info->command == Command::kAnalyze || info->command == Command::kExport) {
    add("clickhouse", po::value(&o.store.url)->value_name("URL"),
        info->command == Command::kExport
            ? "the ClickHouse server to send the events to, e.g. http://127.0.0.1:8123/ (its HTTP interface)"
            : "read the window --since..--until of the hosts from this ClickHouse server instead of PATH");
    add("table", po::value(&o.store.table)->default_value("hindcast_events")->value_name("NAME"),
        "the events table ([database.]name); its files are in NAME_sources");
  }
  if (info->command == Command::kAnalyze)
    add("hosts", po::value(&hosts)->value_name("A,B,..."), "with --clickhouse: only these hosts (default: every host)");
  if (info->command == Command::kExport)
    add("host", po::value(&o.store.host)->value_name("NAME"),
        "the host of files that name none (no syslog or journal host, no host directory); default: this machine's name");
  add("verbose,v", po::bool_switch(&verbose), "more diagnostics (per-phase timings) on standard error");
  add("quiet,q", po::bool_switch(&quiet), "only errors on standard error");
  po::options_description hidden;
  hidden.add_options()("path", po::value(&o.ingest.inputs));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("path", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hindcast " << info->name << ": " << e.what() << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << desc << "\nexamples:\n  " << info->examples << "\n\n" << kExitCodes << "\n";
    return kExitOk;
  }
  if (auto bad = check_store_options(o, vm, hosts)) {
    std::cerr << "hindcast " << info->name << ": " << *bad << "\n";
    return kExitUsage;
  }
  if (o.ingest.inputs.empty() && o.store.url.empty()) {
    std::cerr << "hindcast " << info->name << ": no PATH given (see --help)\n";
    return kExitUsage;
  }
  if (*info->formats) {
    const std::string allowed = std::string("|") + info->formats + "|";
    if (allowed.find("|" + o.format + "|") == std::string::npos) {
      std::cerr << "hindcast " << info->name << ": --format " << o.format << ": use one of "
                << info->formats << "\n";
      return kExitUsage;
    }
  }
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"color", &o.color}, {"progress", &o.progress},
                                     {"summary", &o.summary}})
    if (*value != "auto" && *value != "always" && *value != "never") {
      std::cerr << "hindcast " << info->name << ": --" << name << " " << *value << ": use auto, always or never\n";
      return kExitUsage;
    }
  if (!tz.empty()) o.ingest.resolve.tz = tz;
  if (vm.count("year")) {
    if (year < kMinYear || year > kMaxYear) {
      std::cerr << "hindcast: --year " << year << ": expected a year such as 2023 (" << kMinYear << ".." << kMaxYear
                << ", the years hindcast's time can hold)\n";
      return kExitUsage;
    }
    o.ingest.resolve.year = year;
  }
  if (!date.empty()) {
    Instant day;
    if (date.size() != 10 || !parse_rfc3339(date, &day) || day.ns < *checked_civil_ns(kMinYear, 1, 2, 0, 0, 0, 0) ||
        day.ns > *checked_civil_ns(kMaxYear, 12, 30, 0, 0, 0, 0)) {
      std::cerr << "hindcast: --date " << date << ": expected a date such as 2023-11-03\n";
      return kExitUsage;
    }
    o.ingest.resolve.date_day = day.ns / kNanosPerDay;
  }
  if (!since.empty() && !parse_instant_option("since", since, &o.ingest.window.since)) return kExitUsage;
  if (!until.empty() && !parse_instant_option("until", until, &o.ingest.window.until)) return kExitUsage;
  if (o.ingest.window.since && o.ingest.window.until && o.ingest.window.until->ns < o.ingest.window.since->ns) {
    std::cerr << "hindcast " << info->name << ": --since " << since << " is after --until " << until
              << ": the window holds no time\n";
    return kExitUsage;
  }
  if (auto input = output_overwrites_input(o.output_file, o.ingest.inputs)) {
    std::cerr << "hindcast " << info->name << ": -o " << o.output_file << ": "
              << (*input == o.output_file ? std::string("is an input") : "is an input (read from " + *input + ")")
              << "; writing it would destroy the evidence: choose a file outside the inputs\n";
    return kExitUsage;
  }
  o.verbosity = quiet ? -1 : verbose ? 1 : 0;
  return o;
}

}  // namespace hindcast::cli
