#!/usr/bin/python3
"""Writes the small Fashion-MNIST subset shipped with the app (used when the full data set is
not installed): the first 3000 training and 1000 test images with their labels, as gzip IDX files.

/usr/bin/python3 tools/data/make_fashion_subset.py /usr/share/datasets/fashion-mnist app/src/main/resources/dev/balboa/app/fashion-mnist-subset
"""
import gzip, os, struct, sys


def subset(src, dst, count):
    with gzip.open(src, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = list(struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank]))
    per = 1
    for d in dims[1:]:
        per *= d
    dims[0] = count
    header = data[:4] + struct.pack(">" + "I" * rank, *dims)
    body = data[4 + 4 * rank:4 + 4 * rank + count * per]
    with gzip.GzipFile(dst, "wb", mtime=0) as f:
        f.write(header + body)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    for prefix, n in (("train", 3000), ("t10k", 1000)):
        for kind in ("images-idx3", "labels-idx1"):
            name = f"{prefix}-{kind}-ubyte.gz"
            subset(os.path.join(src, name), os.path.join(dst, name), n)


if __name__ == "__main__":
    main()
