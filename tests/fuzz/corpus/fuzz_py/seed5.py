from binascii import a2b_base64
from io import BytesIO
from deflate import DeflateIO,RAW
buf=DeflateIO(BytesIO(a2b_base64(b'y0jNyclXyECQXAA=')),RAW,9).read()
print(buf)