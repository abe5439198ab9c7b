a,b=1,2
x=[a,b]
x[0]+=5
print(x, b'ab'[1:], 'q' in 'aqb', -7//2, 1<<3)