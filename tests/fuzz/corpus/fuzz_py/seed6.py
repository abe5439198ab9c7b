import hashlib
h=hashlib.sha256(b'x')
print(h.digest().hex())