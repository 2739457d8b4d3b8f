import gzip, os, re, sys
# Prose lines of reStructuredText / POD: paragraphs of lines that read as sentences
# (>= 6 words, mostly alphabetic, no markup-leading characters), joined.
def paragraphs(text):
    para=[]
    for line in text.split('\n'):
        s=line.strip()
        if not s:
            if para: yield ' '.join(para); para=[]
            continue
        if s[0] in '=.-*#|+:`<>{}[]()@$%&/\\~^' or s.startswith('..') or re.match(r'^\d+\.', s) and len(s.split())<4:
            if para: yield ' '.join(para); para=[]
            continue
        para.append(s)
    if para: yield ' '.join(para)
def prose(p):
    w=p.split()
    if len(w)<12: return False
    alpha=sum(1 for x in w if re.fullmatch(r"[A-Za-z][a-z'’-]*[,.;:!?)]?", x))
    return alpha/len(w)>0.8 and p[-1] in '.!?:'
out=open(sys.argv[1],'w'); n=0
for root in sys.argv[2:]:
    for dp,_,fs in os.walk(root):
        for f in fs:
            path=os.path.join(dp,f)
            if not (f.endswith('.rst.gz') or f.endswith('.txt.gz') or f.endswith('.pod') or f.endswith('.rst')): continue
            try:
                t=(gzip.open(path,'rt',errors='replace') if f.endswith('.gz') else open(path,errors='replace')).read()
            except Exception: continue
            t=re.sub(r'[CBILFSEXZ]<+([^<>]*)>+', r'\1', t)  # POD formatting codes
            t=re.sub(r'``([^`]*)``', r'\1', t); t=re.sub(r':[a-z]+:`([^`]*)`', r'\1', t)
            for p in paragraphs(t):
                if prose(p): out.write(p+'\n\n'); n+=len(p.split())
print(sys.argv[1], n)
