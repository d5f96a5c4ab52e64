"""A Python workload for the malloc benchmarks: dict/list/str churn, json,
re and threads. Prints a digest that must not depend on the allocator."""
import hashlib, json, re, threading

def churn(seed, out):
    d = {}
    x = seed
    for i in range(200000):
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        k = f"k{x % 5000}"
        d[k] = d.get(k, []) + [i % 97] if i % 3 else [str(x)[:8]]
        if len(d) > 3000:
            d.pop(next(iter(d)))
    out.append(sum(len(v) for v in d.values()))

out = []
ts = [threading.Thread(target=churn, args=(s, out)) for s in range(1, 5)]
for t in ts: t.start()
for t in ts: t.join()
doc = [{"id": i, "name": "n" * (i % 40), "tags": list(range(i % 13))} for i in range(40000)]
text = json.dumps(doc)
back = json.loads(text)
words = re.findall(r'"name": "(n+)"', text)
h = hashlib.sha256()
h.update(repr(sorted(out)).encode()); h.update(str(len(back)).encode()); h.update(str(len(words)).encode())
print(h.hexdigest())
