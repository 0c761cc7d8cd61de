#!/usr/bin/python3
"""Writes jinja-cases.json: each template rendered by the real Jinja2 with Ansible 2.14's filters and
tests and the template module's settings (trim_blocks, trailing newline kept). FreeMarkerEmitterTest
renders rig convert's output of each template through rig and expects exactly these strings.
Run it again after changing CASES: /usr/bin/python3 src/test/resources/convert/jinja_oracle.py (Debian's, beside ansible-core)"""
import json, os
from jinja2 import Environment
from ansible.template import AnsibleUndefined
from ansible.plugins.filter.core import FilterModule as Core
from ansible.plugins.filter.mathstuff import FilterModule as Math
from ansible.plugins.filter.urls import FilterModule as Urls
from ansible.plugins.test.core import TestModule as CoreTests
from ansible.plugins.test.mathstuff import TestModule as MathTests

VARS = {
    "name": "web", "port": 8080, "flag": True, "off": False, "xs": [3, 1, 2, 1],
    "users": [{"name": "alice", "admin": True, "uid": 1001}, {"name": "bob", "admin": False, "uid": 1002}],
    "d": {"b": 2, "a": 1}, "s": "  Hello World  ", "path": "/etc/app/conf.d/x.conf", "empty": "", "nums": "42", "answer": "yes",
    "words": ["b", "a", "c"],
    "mixed": ["banana", "Apple", "cherry", "apple", "Banana"], "f2": 2.0, "neg": -3,
    "ml": {"k": "a\nb\n", "long": "word " * 20 + "end", "m": {"x": "p\n\nq", "q": "it's\nok"}, "l": ["r\ns", " lead\nx"], "plain": "x y"},
}

CASES = [
    "{{ name }}:{{ port }}\n",
    "{{ missing | default('dflt') }} {{ name | d('x') }} {{ empty | default('e', true) }} {{ missing.deep | default(1) }}",
    "{% if answer | bool %}Y{% endif %}{% if not (empty | bool) %}N{% endif %}",
    "{{ nums | int + 1 }} {{ 'x' | int }} {{ '3.7' | float * 2 }}",
    "{{ port | string ~ '/tcp' }}",
    "{{ name | upper }} {{ 'ABC' | lower }} {{ 'hello world' | capitalize }}",
    "{{ s | trim }}|{{ name | replace('e', 'E') }}",
    "{{ path | regex_replace('^/etc/(\\\\w+)/.*$', '\\\\1') }} {{ 'a.b.c' | regex_replace('\\\\.', '-') }} {{ 'AbC' | regex_replace('b', 'x', ignorecase=true) }}",
    "{{ path | regex_search('conf\\\\.d') }}",
    "{{ xs | join(',') }} {{ xs | length }} {{ xs | first }} {{ xs | last }} {{ s | length }}",
    "{{ xs | unique | join(',') }} {{ xs | sort | join(',') }} {{ xs | sort(reverse=true) | join('') }} {{ words | sort | join('') }}",
    "{{ users | map(attribute='name') | join(',') }} {{ users | sort(attribute='uid', reverse=true) | map(attribute='name') | join(',') }}",
    "{{ users | selectattr('admin') | map(attribute='name') | join(',') }}",
    "{{ users | rejectattr('uid', 'equalto', 1001) | map(attribute='name') | join(',') }} {{ users | selectattr('uid', '>', 1001) | map(attribute='name') | first }}",
    "{{ xs | select('odd') | join(',') }} {{ xs | reject('odd') | join(',') }}",
    "{{ d | dict2items | map(attribute='key') | join(',') }} {{ (d | dict2items | items2dict).b }}",
    "{{ d | combine({'c': 3}) | to_json }} {{ {'a': {'x': 1}} | combine({'a': {'y': 2}}, recursive=true) | to_json }}",
    "{{ d | to_nice_json }}\n{{ users | to_nice_json(indent=2) }}",
    "{{ users | to_nice_yaml }}{{ d | to_yaml }}{{ {'k': [1, 2], 'm': {'n': 'x y'}} | to_yaml }}",
    "{{ name | b64encode }} {{ 'd2Vi' | b64decode }}",
    "{{ path | basename }} {{ path | dirname }}",
    "{{ 'a b' | quote }} {{ name | quote }} {{ \"it's\" | quote }}",
    "{{ flag | ternary('on', 'off') }} {{ off | ternary('on', 'off') }}",
    "{{ name | hash('sha1') }} {{ name | hash('md5') }} {{ name | hash }}",
    "{{ name | mandatory }}",
    "{% if missing is not defined and name is defined %}ok{% endif %}{% if missing is undefined %}!{% endif %}",
    "{% if 'we' in name and 2 in xs and 'a' in d and 9 not in xs %}in{% endif %}",
    "{% if port > 80 and port <= 8080 or off %}cmp{% endif %}{% if port != 1 and name == 'web' %}eq{% endif %}",
    "{{ port * 2 - 1 }} {{ port // 3 }} {{ port % 7 }} {{ 7 / 2 }} {{ -port + 1 }}",
    "{{ 'big' if port > 1000 else 'small' }} {{ 'never' if off }}",
    "{{ [1, 2] | length }} {{ {'k': name}.k }} {{ {'k': name}['k'] }}",
    "{% for u in users %}{{ loop.index }}/{{ loop.length }}:{{ u.name }}{% if not loop.last %},{% endif %}{% endfor %}",
    "{% for x in xs %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{% if loop.first %}F{% endif %};{% endfor %}",
    "{% for x in [] %}x{% else %}none{% endfor %}",
    "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
    "{% for x in xs if x > 1 %}{{ x }}{{ loop.length }}{% endfor %}",
    "{% set total = port + 1 %}{{ total }}",
    "{% set greeting %}hi {{ name }}{% endset %}{{ greeting | upper }}",
    "{% raw %}{{ x }} {% if %}{% endraw %} ${HOME} #{a} <#b> [#c] {{ '${x} #{y} <#z>' }}",
    "a\n{# c #}\nb\n  {%- if flag %}\n  yes\n  {%- endif %}\nend\n",
    "x:\n  {% if flag %}\n  - y\n  {% endif %}\n  {% for u in users %}\n  - {{ u.name }}\n  {% endfor %}\n",
    "{% if name is match('we') %}m{% endif %}{% if name is match('eb') %}M{% endif %}{% if name is search('eb') %}s{% endif %}",
    "{{ xs[0] }}{{ xs[-1] }}{{ name[1:] }}{{ xs[1:3] | join('') }}",
    "{{ 'x' ~ port ~ 'y' }}",
    "{% if d.a is number and name is string and users is iterable and d is mapping and flag is boolean %}types{% endif %}",
    "{{ xs | map('string') | join('-') }} {{ words | map('upper') | join('') }}",
    "{{ name.upper() }} {{ path.split('/') | last }} {{ d.get('z', 'none') }} {{ d.get('a') }} {{ ' x '.strip() }}{{ name.startswith('w') | ternary(1, 0) }}",
    "{% if port is divisibleby 8 %}div{% endif %}{% if 3 is odd and 4 is even %}oe{% endif %}",
    "{% if users[0] is defined and users[5] is not defined %}idx{% endif %}",
    "{% if name == 'web' %}A{% elif name == 'db' %}B{% else %}C{% endif %}",
    "{% for i in range(3) %}{{ i }}{% endfor %}{% for i in range(1, 3) %}{{ i }}{% endfor %}",
    "{{ name | default('x') | upper }}{{ (port | string)[0:2] }}",
    # Jinja2's sort and Ansible's unique are case-insensitive unless asked, and stable
    "{{ mixed | sort | join(',') }} {{ mixed | sort(case_sensitive=true) | join(',') }} {{ mixed | sort(reverse=true) | join(',') }} {{ mixed | sort(true, true) | join(',') }}",
    "{{ mixed | unique | join(',') }} {{ mixed | unique(case_sensitive=true) | join(',') }} {{ users | sort(attribute='name', reverse=true) | map(attribute='name') | join(',') }}",
    # booleans print as Python prints them; >= inside {{ }}
    "{{ port >= 80 }} {{ port < 80 }} {{ name is defined }} {{ not flag }} {{ 'a' in name }} {{ flag and port > 1 }} {{ (port >= 8080) | ternary('hi', 'lo') }}",
    # first/last of a string; ternary, if and conditional expressions on values that are not booleans
    "{{ s | first }}{{ name | last }} {{ xs | first }} {{ name | ternary('yes', 'no') }} {{ empty | ternary('yes', 'no') }} {{ xs | ternary(1, 0) }}",
    "{% if xs %}list{% endif %}{% if empty %}E{% else %}noE{% endif %} {{ 'y' if name else 'n' }} {{ 'y' if not xs else 'n' }}{% if not empty %} notempty{% endif %}",
    # Python's and/or give an operand
    "{{ empty or 'fallback' }} {{ name or 'fallback' }} {{ name and port }} [{{ empty and port }}]",
    # is integer / float / odd / even by Python's types and arithmetic
    "{% if f2 is integer %}int{% else %}notint{% endif %} {% if port is integer %}int{% endif %} {% if f2 is float %}float{% endif %} {% if neg is odd %}odd{% endif %}{% if neg is even %}even{% endif %}",
    # a set inside a loop whose name is not used outside it: Jinja2's loop scope changes nothing
    "{% for x in xs %}{% set sq = x * x %}{{ sq }},{% endfor %}",
    # to_nice_yaml of multi-line and long strings: PyYAML's single quotes with doubled breaks, folding at 80 columns
    "{{ ml | to_nice_yaml }}{{ ml | to_nice_yaml(indent=2) }}{{ ml.k | to_nice_yaml }}{{ ml.plain | to_nice_yaml }}{{ ml.plain | to_yaml }}{{ port | to_nice_yaml }}",
]

env = Environment(trim_blocks=True, keep_trailing_newline=True, undefined=AnsibleUndefined)
for m in (Core(), Math(), Urls()):
    env.filters.update(m.filters())
for m in (CoreTests(), MathTests()):
    env.tests.update(m.tests())

out = []
for src in CASES:
    out.append({"template": src, "expected": env.from_string(src).render(**VARS)})
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "jinja-cases.json"), "w") as f:
    json.dump({"vars": VARS, "cases": out}, f, indent=1)
    f.write("\n")
print(len(out), "cases")
