"""Builds unspin._unspin with the project's CMake (the repository is this folder's parent).

    python3 -m venv --system-site-packages V && V/bin/pip install --no-build-isolation ./python

UNSPIN_BUILD_DIR reuses an existing CMake build folder (e.g. the one ./setup.sh made);
otherwise the module is built in build-python/ at the repository root.
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent.parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(os.environ.get("UNSPIN_BUILD_DIR", ROOT / "build-python"))
        if not (build / "CMakeCache.txt").is_file():
            subprocess.check_call(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                                   "-DUNSPIN_BUILD_TESTS=OFF", "-DUNSPIN_BUILD_BENCH=OFF",
                                   "-DUNSPIN_BUILD_MODELS=OFF", "-DUNSPIN_BUILD_PYTHON=ON",
                                   f"-DPython3_EXECUTABLE={sys.executable}"])
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(min(2, os.cpu_count() or 1)))
        subprocess.check_call(["cmake", "--build", str(build), "--target", "_unspin", "-j", jobs])
        built = next((build / "python" / "unspin").glob("_unspin*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(ext_modules=[Extension("unspin._unspin", sources=[])], cmdclass={"build_ext": CMakeBuild})
