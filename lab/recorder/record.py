"""lab/record <case>: run lab/scenarios/<case>.py and write lab/cases/<case>.tar.zst."""
import importlib.util
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from core import Lab, LAB_DIR  # noqa: E402


def main():
    if len(sys.argv) != 2:
        print("usage: lab/record <case>   (cases: %s)" % " ".join(sorted(
            f[:-3] for f in os.listdir(os.path.join(LAB_DIR, "scenarios")) if f.endswith(".py"))), file=sys.stderr)
        sys.exit(64)
    case = sys.argv[1]
    os.chdir("/")   # a daemon's getcwd() (strace) and relative paths as under systemd, not the checkout
    path = os.path.join(LAB_DIR, "scenarios", case + ".py")
    spec = importlib.util.spec_from_file_location("scenario_" + case.replace("-", "_"), path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    lab = Lab(case, mod.START, mod.ZONE, stepping=getattr(mod, "STEPPING", False))
    lab.set(stack=mod.STACK)
    lab.run(mod.scenario)


if __name__ == "__main__":
    main()
