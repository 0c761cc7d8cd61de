package dev.rig.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The differential suite's pairs: the same meaning written for Ansible (Jinja2) and for rig
 * (FreeMarker). Every pair works under /srv/t on each host; the suite compares what is left there.
 */
final class Pairs {
    /** {@code files}: more files beside both playbooks (roles, task files), by relative path; {@code args}: for both commands. */
    record Pair(String name, String ansible, String rig, Map<String, String> ansibleFiles, Map<String, String> rigFiles, List<String> args) {
        Pair withPlayVars(String vars) {
            return new Pair(name, ansible.replace(HEAD, HEAD + "  vars: {" + vars + "}\n"), rig.replace(HEAD, HEAD + "  vars: {" + vars + "}\n"),
                    ansibleFiles, rigFiles, args);
        }

        Pair withHandlers(String handlers) {
            String h = "  handlers:\n" + indent(handlers);
            return new Pair(name, ansible + h, rig + h, ansibleFiles, rigFiles, args);
        }

        Pair gathering() {
            return new Pair(name, ansible.replace("gather_facts: false", "gather_facts: true"), rig.replace("gather_facts: false", "gather_facts: true"),
                    ansibleFiles, rigFiles, args);
        }
    }

    private Pairs() {}

    private static final String HEAD = "- hosts: all\n  gather_facts: false\n";

    /** A play whose tasks read the same for both (no expressions). */
    private static Pair same(String name, String tasks, String... args) {
        String pb = HEAD + "  tasks:\n" + indent(tasks);
        return new Pair(name, pb, pb, Map.of(), Map.of(), List.of(args));
    }

    private static Pair pair(String name, String ansibleTasks, String rigTasks, String... args) {
        return new Pair(name, HEAD + "  tasks:\n" + indent(ansibleTasks), HEAD + "  tasks:\n" + indent(rigTasks), Map.of(), Map.of(), List.of(args));
    }

    private static Pair plays(String name, String ansible, String rig, Map<String, String> ansibleFiles, Map<String, String> rigFiles, String... args) {
        return new Pair(name, ansible, rig, ansibleFiles, rigFiles, List.of(args));
    }

    private static String indent(String tasks) {
        StringBuilder b = new StringBuilder();
        for (String l : tasks.split("\n")) b.append("    ").append(l).append('\n');
        return b.toString();
    }

    static List<Pair> all() {
        List<Pair> p = new ArrayList<>();
        p.add(same("file directory with mode", "- file: {path: /srv/t/d, state: directory, mode: '0750'}"));
        p.add(same("file touch with mode", "- file: {path: /srv/t/f, state: touch, mode: '0600'}"));
        p.add(same("file absent", "- copy: {dest: /srv/t/gone, content: x}\n- file: {path: /srv/t/gone, state: absent}\n- copy: {dest: /srv/t/kept, content: y}"));
        p.add(same("file link", "- copy: {dest: /srv/t/target, content: t}\n- file: {path: /srv/t/link, src: /srv/t/target, state: link}"));
        p.add(same("copy content and mode", "- copy: {dest: /srv/t/c, content: \"line one\\nline two\\n\", mode: '0640'}"));
        p.add(pair("copy with the host's name",
                "- copy: {dest: /srv/t/name, content: \"{{ inventory_hostname }}\\n\"}",
                "- copy: {dest: /srv/t/name, content: \"${inventory_hostname}\\n\"}"));
        p.add(same("lineinfile adds a line", "- copy: {dest: /srv/t/conf, content: \"a=1\\n\"}\n- lineinfile: {path: /srv/t/conf, line: b=2}"));
        p.add(same("lineinfile regexp replaces", "- copy: {dest: /srv/t/conf, content: \"a=1\\nport=80\\n\"}\n- lineinfile: {path: /srv/t/conf, regexp: '^port=', line: port=8080}"));
        p.add(same("lineinfile absent", "- copy: {dest: /srv/t/conf, content: \"a=1\\nb=2\\n\"}\n- lineinfile: {path: /srv/t/conf, regexp: '^b=', state: absent}"));
        p.add(same("lineinfile create", "- lineinfile: {path: /srv/t/new, line: hello, create: true, mode: '0644'}"));
        p.add(same("command creates= in the free form", "- command: touch /srv/t/x creates=/srv/t/x\n- command: touch /srv/t/y creates=/srv/t/x"));
        p.add(same("command chdir= in the free form", "- file: {path: /srv/t/w, state: directory}\n- command: touch here chdir=/srv/t/w"));
        p.add(same("shell removes= in the free form", "- shell: echo ran > /srv/t/r removes=/srv/t/none\n- shell: echo ran2 > /srv/t/r2 removes=/srv/t"));
        p.add(same("file key=value free form", "- file: path=/srv/t/kv state=directory mode=0711"));
        p.add(same("copy key=value free form", "- copy: dest=/srv/t/kvc content=hello mode=0604"));
        p.add(pair("loop over a list",
                "- file: {path: \"/srv/t/{{ item }}\", state: touch}\n  loop: [a, b, c]",
                "- file: {path: \"/srv/t/${item}\", state: touch}\n  loop: [a, b, c]"));
        p.add(pair("loop_var",
                "- copy: {dest: \"/srv/t/{{ f }}\", content: \"{{ f }}\"}\n  loop: [one, two]\n  loop_control: {loop_var: f}",
                "- copy: {dest: \"/srv/t/${f}\", content: \"${f}\"}\n  loop: [one, two]\n  loop_control: {loop_var: f}"));
        p.add(pair("with_items",
                "- file: {path: \"/srv/t/w-{{ item }}\", state: directory}\n  with_items: [x, y]",
                "- file: {path: \"/srv/t/w-${item}\", state: directory}\n  with_items: [x, y]"));
        p.add(pair("when by host",
                "- copy: {dest: /srv/t/only-d1, content: yes}\n  when: inventory_hostname == 'd1'",
                "- copy: {dest: /srv/t/only-d1, content: yes}\n  when: inventory_hostname == \"d1\""));
        p.add(pair("register stdout",
                "- command: echo captured\n  register: out\n- copy: {dest: /srv/t/out, content: \"{{ out.stdout }} rc={{ out.rc }}\"}",
                "- command: echo captured\n  register: out\n- copy: {dest: /srv/t/out, content: \"${out.stdout} rc=${out.rc}\"}"));
        p.add(pair("set_fact",
                "- set_fact: {greeting: \"hi {{ inventory_hostname }}\"}\n- copy: {dest: /srv/t/g, content: \"{{ greeting }}\"}",
                "- set_fact: {greeting: \"hi ${inventory_hostname}\"}\n- copy: {dest: /srv/t/g, content: \"${greeting}\"}"));
        String tagged = "- file: {path: /srv/t/wiped, state: touch}\n  tags: [never, wipe]\n- file: {path: /srv/t/plain, state: touch}\n"
                + "- file: {path: /srv/t/always, state: touch}\n  tags: [always]\n- file: {path: /srv/t/other, state: touch}\n  tags: [other]";
        p.add(same("tags: never on a plain run", tagged));
        p.add(same("tags: never asked for by its other tag", tagged, "--tags", "wipe"));
        p.add(same("tags: always with other tags asked", tagged, "--tags", "other"));
        p.add(same("skip-tags always", tagged, "--skip-tags", "always"));
        p.add(pair("task vars over play vars",
                "- copy: {dest: /srv/t/v, content: \"{{ color }}\"}\n  vars: {color: blue}\n- copy: {dest: /srv/t/v2, content: \"{{ color }}\"}",
                "- copy: {dest: /srv/t/v, content: \"${color}\"}\n  vars: {color: blue}\n- copy: {dest: /srv/t/v2, content: \"${color}\"}")
                .withPlayVars("color: red"));
        p.add(same("ignore_errors goes on", "- command: /bin/false\n  ignore_errors: true\n- file: {path: /srv/t/after, state: touch}"));
        p.add(same("failed_when false", "- command: /bin/false\n  failed_when: false\n- file: {path: /srv/t/after, state: touch}"));
        p.add(pair("handler runs on change",
                "- copy: {dest: /srv/t/cfg, content: v1}\n  notify: restart",
                "- copy: {dest: /srv/t/cfg, content: v1}\n  notify: restart").withHandlers("- name: restart\n  file: {path: /srv/t/restarted, state: touch}"));
        p.add(same("changed_when false notifies nothing",
                "- command: echo hi\n  changed_when: false\n  notify: restart").withHandlers("- name: restart\n  file: {path: /srv/t/restarted, state: touch}"));
        p.add(pair("block when",
                "- block:\n    - file: {path: /srv/t/in-block, state: touch}\n  when: inventory_hostname == 'd2'",
                "- block:\n    - file: {path: /srv/t/in-block, state: touch}\n  when: inventory_hostname == \"d2\""));
        p.add(same("block rescue", "- block:\n    - command: /bin/false\n    - file: {path: /srv/t/not-reached, state: touch}\n"
                + "  rescue:\n    - file: {path: /srv/t/rescued, state: touch}\n- file: {path: /srv/t/after, state: touch}"));
        p.add(same("block always", "- block:\n    - file: {path: /srv/t/in, state: touch}\n  always:\n    - file: {path: /srv/t/always, state: touch}"));
        p.add(same("block rescue and always after a failure", "- block:\n    - command: /bin/false\n  rescue:\n"
                + "    - file: {path: /srv/t/rescued, state: touch}\n  always:\n    - file: {path: /srv/t/always, state: touch}\n"
                + "- file: {path: /srv/t/after, state: touch}"));
        p.add(pair("ansible_failed_task in rescue",
                "- block:\n    - name: Boom\n      command: /bin/false\n  rescue:\n    - copy: {dest: /srv/t/failed, content: \"{{ ansible_failed_task.name }} {{ ansible_failed_result.rc }}\"}",
                "- block:\n    - name: Boom\n      command: /bin/false\n  rescue:\n    - copy: {dest: /srv/t/failed, content: \"${ansible_failed_task.name} ${ansible_failed_result.rc}\"}"));
        p.add(same("nested blocks", "- block:\n    - block:\n        - command: /bin/false\n      always:\n        - file: {path: /srv/t/inner-always, state: touch}\n"
                + "  rescue:\n    - file: {path: /srv/t/outer-rescue, state: touch}"));
        p.add(pair("block vars inherited",
                "- block:\n    - copy: {dest: /srv/t/bv, content: \"{{ shade }}\"}\n  vars: {shade: green}",
                "- block:\n    - copy: {dest: /srv/t/bv, content: \"${shade}\"}\n  vars: {shade: green}"));
        p.add(same("block tags inherited", "- block:\n    - file: {path: /srv/t/tagged, state: touch}\n  tags: [web]\n"
                + "- file: {path: /srv/t/untagged, state: touch}", "--tags", "web"));
        p.add(same("block ignore_errors inherited", "- block:\n    - command: /bin/false\n    - file: {path: /srv/t/next, state: touch}\n  ignore_errors: true"));
        p.add(pair("facts: hostname and os family",
                "- copy: {dest: /srv/t/facts, content: \"{{ ansible_hostname }} {{ ansible_facts.os_family }} {{ ansible_distribution_major_version }}\"}",
                "- copy: {dest: /srv/t/facts, content: \"${ansible_hostname} ${ansible_facts.os_family} ${ansible_distribution_major_version}\"}")
                .gathering());
        p.add(pair("facts: architecture and user",
                "- copy: {dest: /srv/t/arch, content: \"{{ ansible_architecture }} {{ ansible_user_id }} {{ ansible_pkg_mgr }}\"}",
                "- copy: {dest: /srv/t/arch, content: \"${ansible_architecture} ${ansible_user_id} ${ansible_pkg_mgr}\"}")
                .gathering());
        String common = "- shell: echo common >> /srv/t/log\n";
        p.add(plays("role dependencies once per play", HEAD + "  roles: [app, web]\n", HEAD + "  roles: [app, web]\n",
                roles(common, false), roles(common, false)));
        p.add(plays("role dependencies with allow_duplicates", HEAD + "  roles: [app, web]\n", HEAD + "  roles: [app, web]\n",
                roles(common, true), roles(common, true)));
        p.add(plays("role defaults and role vars",
                HEAD + "  roles:\n    - role: cfg\n      vars: {port: 9090}\n", HEAD + "  roles:\n    - role: cfg\n      vars: {port: 9090}\n",
                Map.of("roles/cfg/defaults/main.yml", "port: 80\nname: svc\n",
                        "roles/cfg/tasks/main.yml", "- copy: {dest: /srv/t/cfg, content: \"{{ name }}:{{ port }}\"}\n"),
                Map.of("roles/cfg/defaults/main.yml", "port: 80\nname: svc\n",
                        "roles/cfg/tasks/main.yml", "- copy: {dest: /srv/t/cfg, content: \"${name}:${port}\"}\n")));
        p.add(plays("import_tasks", HEAD + "  tasks:\n    - import_tasks: more.yml\n", HEAD + "  tasks:\n    - import_tasks: more.yml\n",
                Map.of("more.yml", "- file: {path: /srv/t/imported, state: touch}\n"), Map.of("more.yml", "- file: {path: /srv/t/imported, state: touch}\n")));
        p.add(plays("play tags", HEAD + "  tags: [p]\n  tasks:\n    - file: {path: /srv/t/p, state: touch}\n"
                        + "- hosts: all\n  gather_facts: false\n  tasks:\n    - file: {path: /srv/t/q, state: touch}\n",
                HEAD + "  tags: [p]\n  tasks:\n    - file: {path: /srv/t/p, state: touch}\n"
                        + "- hosts: all\n  gather_facts: false\n  tasks:\n    - file: {path: /srv/t/q, state: touch}\n",
                Map.of(), Map.of(), "--tags", "p"));
        p.add(plays("template", HEAD + "  tasks:\n    - template: {src: t.j2, dest: /srv/t/tpl, mode: '0644'}\n",
                HEAD + "  tasks:\n    - template: {src: t.ftl, dest: /srv/t/tpl, mode: '0644'}\n",
                Map.of("t.j2", "host={{ inventory_hostname }}\n{% for x in [1, 2] %}n{{ x }}\n{% endfor %}"),
                Map.of("t.ftl", "host=${inventory_hostname}\n<#list [1, 2] as x>n${x}\n</#list>")));
        p.add(pair("environment on a task",
                "- shell: echo \"$GREETING\" > /srv/t/env\n  environment: {GREETING: \"hello {{ inventory_hostname }}\"}",
                "- shell: echo \"$GREETING\" > /srv/t/env\n  environment: {GREETING: \"hello ${inventory_hostname}\"}"));
        p.add(plays("environment on a play and a block, the task's winning",
                HEAD + "  environment: {A: play, B: play}\n  tasks:\n    - block:\n        - shell: echo \"$A $B $C\" > /srv/t/env\n"
                        + "          environment: {C: task}\n      environment: {B: block}\n",
                HEAD + "  environment: {A: play, B: play}\n  tasks:\n    - block:\n        - shell: echo \"$A $B $C\" > /srv/t/env\n"
                        + "          environment: {C: task}\n      environment: {B: block}\n", Map.of(), Map.of()));
        p.add(pair("until, retries, delay",
                "- shell: echo x >> /srv/t/n; wc -l < /srv/t/n\n  register: r\n  until: r.stdout | int >= 3\n  retries: 5\n  delay: 0\n"
                        + "- copy: {dest: /srv/t/attempts, content: \"{{ r.attempts }}\"}",
                "- shell: echo x >> /srv/t/n; wc -l < /srv/t/n\n  register: r\n  until: r.stdout?number >= 3\n  retries: 5\n  delay: 0\n"
                        + "- copy: {dest: /srv/t/attempts, content: \"${r.attempts}\"}"));
        p.add(same("until never true fails the host", "- shell: echo x >> /srv/t/n\n  register: r\n  until: false\n  retries: 2\n  delay: 0\n"
                + "- file: {path: /srv/t/not-reached, state: touch}"));
        p.add(pair("check_mode on a task and ansible_check_mode",
                "- file: {path: /srv/t/checked, state: touch}\n  check_mode: true\n- copy: {dest: /srv/t/mode, content: \"{{ ansible_check_mode }}\"}",
                "- file: {path: /srv/t/checked, state: touch}\n  check_mode: true\n- copy: {dest: /srv/t/mode, content: \"${ansible_check_mode?c?cap_first}\"}"));
        p.add(pair("with_dict",
                "- copy: {dest: \"/srv/t/{{ item.key }}\", content: \"{{ item.value }}\"}\n  with_dict: {alpha: 1, beta: 2}",
                "- copy: {dest: \"/srv/t/${item.key}\", content: \"${item.value}\"}\n  with_dict: {alpha: 1, beta: 2}"));
        p.add(pair("loop over a dict (dict2items; rig loops over a map)",
                "- copy: {dest: \"/srv/t/{{ item.key }}\", content: \"{{ item.value }}\"}\n  loop: \"{{ ports | dict2items }}\"",
                "- copy: {dest: \"/srv/t/${item.key}\", content: \"${item.value}\"}\n  loop: ${ports}").withPlayVars("ports: {http: 80, https: 443}"));
        p.add(pair("loop_control index_var and pause",
                "- copy: {dest: \"/srv/t/{{ i }}-{{ item }}\", content: x}\n  loop: [a, b]\n  loop_control: {index_var: i, pause: 1}",
                "- copy: {dest: \"/srv/t/${i}-${item}\", content: x}\n  loop: [a, b]\n  loop_control: {index_var: i, pause: 1}"));
        p.add(pair("loop_control extended",
                "- copy: {dest: \"/srv/t/{{ item }}\", content: \"{{ ansible_loop.index }}/{{ ansible_loop.length }} {{ ansible_loop.first }} {{ ansible_loop.last }} {{ ansible_loop.revindex }}\"}\n"
                        + "  loop: [a, b, c]\n  loop_control: {extended: true}",
                "- copy: {dest: \"/srv/t/${item}\", content: \"${ansible_loop.index}/${ansible_loop.length} ${ansible_loop.first?c?cap_first} ${ansible_loop.last?c?cap_first} ${ansible_loop.revindex}\"}\n"
                        + "  loop: [a, b, c]\n  loop_control: {extended: true}"));
        String handler = "- name: restart\n  shell: echo ran >> /srv/t/handler";
        p.add(same("meta flush_handlers", "- copy: {dest: /srv/t/cfg, content: v1}\n  notify: restart\n- meta: flush_handlers\n"
                + "- shell: test -f /srv/t/handler && touch /srv/t/seen-after-flush").withHandlers(handler));
        p.add(pair("meta end_host on one host",
                "- copy: {dest: /srv/t/cfg, content: v1}\n  notify: restart\n- meta: end_host\n  when: inventory_hostname == 'd1'\n"
                        + "- file: {path: /srv/t/after, state: touch}",
                "- copy: {dest: /srv/t/cfg, content: v1}\n  notify: restart\n- meta: end_host\n  when: inventory_hostname == \"d1\"\n"
                        + "- file: {path: /srv/t/after, state: touch}").withHandlers(handler));
        p.add(same("meta end_play and noop", "- meta: noop\n- file: {path: /srv/t/before, state: touch}\n- meta: end_play\n"
                + "- file: {path: /srv/t/after, state: touch}"));
        p.add(same("assert then go on", "- assert: {that: [\"1 == 1\"]}\n- file: {path: /srv/t/asserted, state: touch}"));
        p.add(plays("meta end_play ends every serial batch", HEAD + "  serial: 1\n  tasks:\n    - file: {path: /srv/t/before, state: touch}\n"
                        + "    - meta: end_play\n    - file: {path: /srv/t/after, state: touch}\n- hosts: all\n  gather_facts: false\n"
                        + "  tasks:\n    - file: {path: /srv/t/next-play, state: touch}\n",
                HEAD + "  serial: 1\n  tasks:\n    - file: {path: /srv/t/before, state: touch}\n"
                        + "    - meta: end_play\n    - file: {path: /srv/t/after, state: touch}\n- hosts: all\n  gather_facts: false\n"
                        + "  tasks:\n    - file: {path: /srv/t/next-play, state: touch}\n", Map.of(), Map.of()));
        p.add(pair("facts: named only in a block's when",
                "- block:\n    - file: {path: /srv/t/debian, state: touch}\n  when: ansible_os_family == 'Debian'",
                "- block:\n    - file: {path: /srv/t/debian, state: touch}\n  when: ansible_os_family == \"Debian\"").gathering());
        roleScopes(p);
        lockstep(p);
        includes(p);
        roleTasks(p);
        includeVars(p);
        p.add(pair("delegate_to localhost: probe and command on the operator's machine, variables the host's",
                "- file: {path: /srv/t/marker, state: touch}\n- shell: test -e /srv/t/marker && echo host-side || echo controller-side\n"
                        + "  register: where\n  delegate_to: localhost\n- stat: {path: /srv/t/marker}\n  register: s\n  delegate_to: localhost\n"
                        + "- copy: {dest: /srv/t/where, content: \"{{ where.stdout }} {{ inventory_hostname }} {{ s.stat.exists }}\"}",
                "- file: {path: /srv/t/marker, state: touch}\n- shell: test -e /srv/t/marker && echo host-side || echo controller-side\n"
                        + "  register: where\n  delegate_to: localhost\n- stat: {path: /srv/t/marker}\n  register: s\n  delegate_to: localhost\n"
                        + "- copy: {dest: /srv/t/where, content: \"${where.stdout} ${inventory_hostname} ${s.stat.exists?c?cap_first}\"}"));
        delegation(p);
        // Both hosts' runs of the task meet on the operator's machine: with throttle 1 they never overlap.
        String throttled = "- shell: mkdir /tmp/rig-differential-throttle && sleep 2 && rmdir /tmp/rig-differential-throttle && echo alone || echo overlap\n"
                + "  register: t\n  delegate_to: localhost\n  throttle: 1\n";
        p.add(pair("throttle: 1 on a task", throttled + "- copy: {dest: /srv/t/throttle, content: \"{{ t.stdout }}\"}",
                throttled + "- copy: {dest: /srv/t/throttle, content: \"${t.stdout}\"}"));
        String prompt = HEAD + "  vars_prompt:\n    - {name: who, prompt: Who}\n  tasks:\n";
        p.add(plays("vars_prompt given with -e", prompt + "    - copy: {dest: /srv/t/who, content: \"{{ who }}\"}\n",
                prompt + "    - copy: {dest: /srv/t/who, content: \"${who}\"}\n", Map.of(), Map.of(), "-e", "who=cli"));
        return p;
    }

    /** Ends the SSH session the task runs in (its nearest sshd ancestor, by PID): the host is unreachable during the task. */
    private static final String DROP_CONNECTION = "shell: \"p=$$; while [ $p -gt 1 ] && [ \\\"$(cat /proc/$p/comm)\\\" != sshd ]; do p=$(awk '{print $4}' /proc/$p/stat); done;"
            + " [ $p -gt 1 ] && kill $p; sleep 5\"";

    /** run_once, any_errors_fatal and ignore_unreachable: Ansible's linear strategy where hosts meet. */
    private static void lockstep(List<Pair> p) {
        p.add(pair("run_once: the first host runs it, every host gets its register",
                "- shell: touch /srv/t/ran-{{ inventory_hostname }}; echo {{ inventory_hostname }}\n  register: who\n  run_once: true\n"
                        + "- copy: {dest: /srv/t/who, content: \"{{ who.stdout }} {{ who.changed }}\"}",
                "- shell: touch /srv/t/ran-${inventory_hostname}; echo ${inventory_hostname}\n  register: who\n  run_once: true\n"
                        + "- copy: {dest: /srv/t/who, content: \"${who.stdout} ${who.changed?c?cap_first}\"}"));
        p.add(pair("run_once: when decided on the first host only, set_fact for every host",
                "- set_fact: {picked: \"{{ inventory_hostname }}\"}\n  run_once: true\n"
                        + "- shell: touch /srv/t/when-ran\n  run_once: true\n  when: inventory_hostname == 'd2'\n  register: r\n"
                        + "- copy: {dest: /srv/t/picked, content: \"{{ picked }} {{ r.skipped }}\"}",
                "- set_fact: {picked: \"${inventory_hostname}\"}\n  run_once: true\n"
                        + "- shell: touch /srv/t/when-ran\n  run_once: true\n  when: inventory_hostname == \"d2\"\n  register: r\n"
                        + "- copy: {dest: /srv/t/picked, content: \"${picked} ${r.skipped?c?cap_first}\"}"));
        String handler = "- name: h\n  shell: echo handled >> /srv/t/handled";
        p.add(same("run_once on a block, its notify", "- block:\n    - copy: {dest: /srv/t/once, content: x}\n      notify: h\n"
                + "    - shell: echo second >> /srv/t/second\n  run_once: true\n- file: {path: /srv/t/after, state: touch}").withHandlers(handler));
        String local = "- file: {path: /tmp/rig-differential-run-once, state: absent}\n  delegate_to: localhost\n  run_once: true\n"
                + "- shell: echo ran >> /tmp/rig-differential-run-once; wc -l < /tmp/rig-differential-run-once\n  register: n\n"
                + "  delegate_to: localhost\n  run_once: true\n";
        p.add(pair("run_once with delegate_to localhost", local + "- copy: {dest: /srv/t/n, content: \"{{ n.stdout | trim }}\"}",
                local + "- copy: {dest: /srv/t/n, content: \"${n.stdout?trim}\"}"));
        // The failing host is slow to fail: without lockstep the other would be past the next task by then.
        p.add(plays("any_errors_fatal on a play: the other host stops before its next task, no later play",
                HEAD + "  any_errors_fatal: true\n  tasks:\n    - file: {path: /srv/t/before, state: touch}\n"
                        + "    - shell: sleep 1; exit 1\n      when: inventory_hostname == 'd2'\n    - file: {path: /srv/t/after, state: touch}\n"
                        + "- hosts: all\n  gather_facts: false\n  tasks:\n    - file: {path: /srv/t/next-play, state: touch}\n",
                HEAD + "  any_errors_fatal: true\n  tasks:\n    - file: {path: /srv/t/before, state: touch}\n"
                        + "    - shell: sleep 1; exit 1\n      when: inventory_hostname == \"d2\"\n    - file: {path: /srv/t/after, state: touch}\n"
                        + "- hosts: all\n  gather_facts: false\n  tasks:\n    - file: {path: /srv/t/next-play, state: touch}\n", Map.of(), Map.of()));
        p.add(pair("any_errors_fatal on a block, its always still run by the failed host",
                "- block:\n    - file: {path: /srv/t/in, state: touch}\n    - shell: sleep 1; exit 1\n      when: inventory_hostname == 'd1'\n"
                        + "    - file: {path: /srv/t/not-reached, state: touch}\n  any_errors_fatal: true\n- file: {path: /srv/t/after, state: touch}",
                "- block:\n    - file: {path: /srv/t/in, state: touch}\n    - shell: sleep 1; exit 1\n      when: inventory_hostname == \"d1\"\n"
                        + "    - file: {path: /srv/t/not-reached, state: touch}\n  any_errors_fatal: true\n- file: {path: /srv/t/after, state: touch}"));
        p.add(pair("any_errors_fatal on a task rescued by its block does not stop the play",
                "- block:\n    - shell: sleep 1; exit 1\n      any_errors_fatal: true\n      when: inventory_hostname == 'd2'\n"
                        + "  rescue:\n    - file: {path: /srv/t/rescued, state: touch}\n- file: {path: /srv/t/after, state: touch}",
                "- block:\n    - shell: sleep 1; exit 1\n      any_errors_fatal: true\n      when: inventory_hostname == \"d2\"\n"
                        + "  rescue:\n    - file: {path: /srv/t/rescued, state: touch}\n- file: {path: /srv/t/after, state: touch}"));
        p.add(same("any_errors_fatal with ignore_errors does not stop the play",
                "- shell: sleep 1; exit 1\n  any_errors_fatal: true\n  ignore_errors: true\n- file: {path: /srv/t/after, state: touch}"));
        p.add(pair("ignore_unreachable: the connection lost during a task, the host goes on",
                "- " + DROP_CONNECTION + "\n  when: inventory_hostname == 'd2'\n  ignore_unreachable: true\n"
                        + "- file: {path: /srv/t/after, state: touch}",
                "- " + DROP_CONNECTION + "\n  when: inventory_hostname == \"d2\"\n  ignore_unreachable: true\n"
                        + "- file: {path: /srv/t/after, state: touch}"));
        p.add(pair("ignore_unreachable on a block; without it the host leaves the play",
                "- block:\n    - " + DROP_CONNECTION + "\n      when: inventory_hostname == 'd1'\n  ignore_unreachable: true\n"
                        + "- file: {path: /srv/t/after, state: touch}\n- " + DROP_CONNECTION + "\n  when: inventory_hostname == 'd2'\n"
                        + "- file: {path: /srv/t/last, state: touch}",
                "- block:\n    - " + DROP_CONNECTION + "\n      when: inventory_hostname == \"d1\"\n  ignore_unreachable: true\n"
                        + "- file: {path: /srv/t/after, state: touch}\n- " + DROP_CONNECTION + "\n  when: inventory_hostname == \"d2\"\n"
                        + "- file: {path: /srv/t/last, state: touch}"));
    }

    /** delegate_to another inventory host: connection the delegate's, variables and results the original host's. */
    private static void delegation(List<Pair> p) {
        p.add(pair("delegate_to the other host: each host's file, named after it, lands on the other",
                "- copy: {dest: \"/srv/t/from-{{ inventory_hostname }}\", content: \"{{ inventory_hostname }}\\n\"}\n"
                        + "  delegate_to: \"{{ 'd2' if inventory_hostname == 'd1' else 'd1' }}\"",
                "- copy: {dest: \"/srv/t/from-${inventory_hostname}\", content: \"${inventory_hostname}\\n\"}\n"
                        + "  delegate_to: \"${(inventory_hostname == 'd1')?then('d2', 'd1')}\""));
        p.add(pair("delegate_to templated: the first host of a group, and a plain name",
                "- file: {path: \"/srv/t/first-{{ inventory_hostname }}\", state: touch, mode: '0640'}\n  delegate_to: \"{{ groups['all'][0] }}\"\n"
                        + "- file: {path: \"/srv/t/by-name-{{ inventory_hostname }}\", state: directory}\n  delegate_to: d2",
                "- file: {path: \"/srv/t/first-${inventory_hostname}\", state: touch, mode: '0640'}\n  delegate_to: \"${groups['all'][0]}\"\n"
                        + "- file: {path: \"/srv/t/by-name-${inventory_hostname}\", state: directory}\n  delegate_to: d2"));
        p.add(pair("delegate_to per loop item: the item picks the host",
                "- copy: {dest: \"/srv/t/{{ inventory_hostname }}-{{ item }}\", content: \"{{ item }}\"}\n  loop: [a, b]\n"
                        + "  delegate_to: \"{{ 'd2' if item == 'b' else 'd1' }}\"",
                "- copy: {dest: \"/srv/t/${inventory_hostname}-${item}\", content: \"${item}\"}\n  loop: [a, b]\n"
                        + "  delegate_to: \"${(item == 'b')?then('d2', 'd1')}\""));
        String idPlay = HEAD + "  tasks:\n    - copy: {dest: /srv/t/id, content: \"%s\"}\n";
        p.add(plays("delegate_to: a delegated command's registered result used on the original host",
                idPlay.formatted("{{ inventory_hostname }}") + HEAD + "  tasks:\n"
                        + "    - command: cat /srv/t/id\n      register: peer\n      delegate_to: \"{{ 'd2' if inventory_hostname == 'd1' else 'd1' }}\"\n"
                        + "    - copy: {dest: /srv/t/peer, content: \"{{ inventory_hostname }} read {{ peer.stdout }} rc={{ peer.rc }} changed={{ peer.changed }}\"}\n",
                idPlay.formatted("${inventory_hostname}") + HEAD + "  tasks:\n"
                        + "    - command: cat /srv/t/id\n      register: peer\n      delegate_to: \"${(inventory_hostname == 'd1')?then('d2', 'd1')}\"\n"
                        + "    - copy: {dest: /srv/t/peer, content: \"${inventory_hostname} read ${peer.stdout} rc=${peer.rc} changed=${peer.changed?c?cap_first}\"}\n",
                Map.of(), Map.of()));
        // The probe is the delegate's: d2's stat reads d1's /srv/t, not its own (a probe batched with d2's own would say False).
        String touchOnD1 = HEAD + "  tasks:\n    - file: {path: /srv/t/only-on-d1, state: touch}\n      when: inventory_hostname == %s\n";
        p.add(plays("delegate_to: a delegated stat reads the delegate's state",
                touchOnD1.formatted("'d1'") + HEAD + "  tasks:\n    - stat: {path: /srv/t/only-on-d1}\n      register: s\n      delegate_to: d1\n"
                        + "    - copy: {dest: /srv/t/seen, content: \"{{ inventory_hostname }} {{ s.stat.exists }}\"}\n",
                touchOnD1.formatted("\"d1\"") + HEAD + "  tasks:\n    - stat: {path: /srv/t/only-on-d1}\n      register: s\n      delegate_to: d1\n"
                        + "    - copy: {dest: /srv/t/seen, content: \"${inventory_hostname} ${s.stat.exists?c?cap_first}\"}\n",
                Map.of(), Map.of()));
        p.add(pair("delegate_to with become: the delegated command runs as the become user on the delegate",
                "- command: id -un\n  become: true\n  become_user: nobody\n  register: who\n  delegate_to: d1\n"
                        + "- copy: {dest: /srv/t/who, content: \"{{ who.stdout }} for {{ inventory_hostname }}\"}",
                "- command: id -un\n  become: true\n  become_user: nobody\n  register: who\n  delegate_to: d1\n"
                        + "- copy: {dest: /srv/t/who, content: \"${who.stdout} for ${inventory_hostname}\"}"));
        // Both hosts add a line to one file on d1. throttle 1 keeps Ansible's own result whole (its forks' lineinfile at the same
        // moment can lose a line); rig's turn-taking on a delegate without throttle is DelegationTest's. Sorted after, as the order is the race's.
        String guests = HEAD + "  tasks:\n    - lineinfile: {path: /srv/t/guests, line: \"%s was here\", create: true, mode: '0644'}\n"
                + "      delegate_to: d1\n      throttle: 1\n- hosts: d1\n  gather_facts: false\n  tasks:\n    - shell: sort -o /srv/t/guests /srv/t/guests\n";
        p.add(pair("delegate_to another host with run_once: run once, on the delegate, with the first host's variables, registered for all",
                "- shell: echo \"{{ inventory_hostname }}\" >> /srv/t/once; wc -l < /srv/t/once\n  register: n\n  run_once: true\n  delegate_to: d2\n"
                        + "- copy: {dest: /srv/t/n, content: \"{{ n.stdout | trim }} {{ n.changed }}\"}",
                "- shell: echo \"${inventory_hostname}\" >> /srv/t/once; wc -l < /srv/t/once\n  register: n\n  run_once: true\n  delegate_to: d2\n"
                        + "- copy: {dest: /srv/t/n, content: \"${n.stdout?trim} ${n.changed?c?cap_first}\"}"));
        p.add(plays("delegate_to: lineinfile from both hosts into one file on the delegate",
                guests.formatted("{{ inventory_hostname }}"), guests.formatted("${inventory_hostname}"), Map.of(), Map.of()));
    }

    private static Pair tasksWithFiles(String name, String ansibleTasks, String rigTasks, Map<String, String> ansibleFiles, Map<String, String> rigFiles,
                                       String... args) {
        return plays(name, HEAD + "  tasks:\n" + indent(ansibleTasks), HEAD + "  tasks:\n" + indent(rigTasks), ansibleFiles, rigFiles, args);
    }

    /** include_tasks at run time (when, loop, tags of its own, vars), import_tasks with when and vars. */
    private static void includes(List<Pair> p) {
        Map<String, String> a = Map.of("inc.yml", "- copy: {dest: \"/srv/t/inc-{{ item | default('none') }}\", content: \"{{ who | default('nobody') }}\"}\n",
                "tagged.yml", "- file: {path: /srv/t/untagged-inside, state: touch}\n- file: {path: /srv/t/tagged-inside, state: touch}\n  tags: [inc]\n",
                "outer.yml", "- include_tasks: inc.yml\n  loop: [\"{{ outer }}-x\", \"{{ outer }}-y\"]\n");
        Map<String, String> r = Map.of("inc.yml", "- copy: {dest: \"/srv/t/inc-${item!'none'}\", content: \"${who!'nobody'}\"}\n",
                "tagged.yml", "- file: {path: /srv/t/untagged-inside, state: touch}\n- file: {path: /srv/t/tagged-inside, state: touch}\n  tags: [inc]\n",
                "outer.yml", "- include_tasks: inc.yml\n  loop: [\"${outer}-x\", \"${outer}-y\"]\n");
        p.add(tasksWithFiles("include_tasks with when", "- include_tasks: inc.yml\n  when: inventory_hostname == 'd1'",
                "- include_tasks: inc.yml\n  when: inventory_hostname == \"d1\"", a, r));
        p.add(tasksWithFiles("include_tasks with a loop and vars", "- include_tasks: inc.yml\n  loop: [a, b]\n  vars: {who: \"{{ inventory_hostname }}\"}",
                "- include_tasks: inc.yml\n  loop: [a, b]\n  vars: {who: \"${inventory_hostname}\"}", a, r));
        p.add(tasksWithFiles("include_tasks nested, with loop_var", "- include_tasks: outer.yml\n  loop: [p, q]\n  loop_control: {loop_var: outer}",
                "- include_tasks: outer.yml\n  loop: [p, q]\n  loop_control: {loop_var: outer}", a, r));
        p.add(tasksWithFiles("include_tasks file: form, when per item", "- include_tasks: {file: inc.yml}\n  loop: [1, 2, 3]\n  when: item != 2",
                "- include_tasks: {file: inc.yml}\n  loop: [1, 2, 3]\n  when: item != 2", a, r));
        String tagged = "- include_tasks: tagged.yml\n  tags: [inc]\n- file: {path: /srv/t/plain, state: touch}";
        p.add(tasksWithFiles("include_tasks tags select the include, not its tasks", tagged, tagged, a, r, "--tags", "inc"));
        p.add(tasksWithFiles("include_tasks tagged, a plain run", tagged, tagged, a, r));
        p.add(tasksWithFiles("include_tasks untagged skipped under --tags", "- include_tasks: tagged.yml\n- file: {path: /srv/t/plain, state: touch}\n  tags: [inc]",
                "- include_tasks: tagged.yml\n- file: {path: /srv/t/plain, state: touch}\n  tags: [inc]", a, r, "--tags", "inc"));
        String applied = "- include_tasks: {file: tagged.yml, apply: {tags: [inc]}}\n  tags: [inc]\n- file: {path: /srv/t/plain, state: touch}";
        p.add(tasksWithFiles("include_tasks apply: tags reach the included tasks", applied, applied, a, r, "--tags", "inc"));
        p.add(tasksWithFiles("include_tasks apply: when and vars on every included task",
                "- include_tasks: {file: inc.yml, apply: {when: inventory_hostname == 'd2', vars: {who: applied}}}",
                "- include_tasks: {file: inc.yml, apply: {when: inventory_hostname == \"d2\", vars: {who: applied}}}", a, r));
        p.add(tasksWithFiles("import_tasks with when and vars", "- import_tasks: inc.yml\n  when: inventory_hostname == 'd2'\n  vars: {who: imported}",
                "- import_tasks: inc.yml\n  when: inventory_hostname == \"d2\"\n  vars: {who: imported}", a, r));
        p.add(tasksWithFiles("include_tasks in a block with rescue", "- block:\n    - include_tasks: fails.yml\n  rescue:\n    - copy: {dest: /srv/t/rescued, content: \"{{ ansible_failed_task.name }}\"}",
                "- block:\n    - include_tasks: fails.yml\n  rescue:\n    - copy: {dest: /srv/t/rescued, content: \"${ansible_failed_task.name}\"}",
                Map.of("fails.yml", "- file: {path: /srv/t/before, state: touch}\n- name: inner boom\n  command: /bin/false\n- file: {path: /srv/t/not-reached, state: touch}\n"),
                Map.of("fails.yml", "- file: {path: /srv/t/before, state: touch}\n- name: inner boom\n  command: /bin/false\n- file: {path: /srv/t/not-reached, state: touch}\n")));
        p.add(plays("include_tasks in a role, relative to the role's tasks", HEAD + "  roles: [inr]\n", HEAD + "  roles: [inr]\n",
                Map.of("roles/inr/tasks/main.yml", "- include_tasks: sub.yml\n  when: inventory_hostname == 'd2'\n",
                        "roles/inr/tasks/sub.yml", "- copy: {dest: /srv/t/sub, content: \"{{ level }}\"}\n", "roles/inr/defaults/main.yml", "level: inr\n"),
                Map.of("roles/inr/tasks/main.yml", "- include_tasks: sub.yml\n  when: inventory_hostname == \"d2\"\n",
                        "roles/inr/tasks/sub.yml", "- copy: {dest: /srv/t/sub, content: \"${level}\"}\n", "roles/inr/defaults/main.yml", "level: inr\n")));
    }

    /** include_vars: a file, name, when, in a role, and its precedence (over task vars, under set_fact). */
    private static void includeVars(List<Pair> p) {
        Map<String, String> f = Map.of("more.yml", "color: green\nsize: 3\n", "vars/other.yml", "shape: round\n",
                "roles/iv/vars/own.yml", "flavour: sweet\n", "roles/iv/tasks/main.yml", "- include_vars: own.yml\n");
        p.add(tasksWithFiles("include_vars: a file, then name and when",
                "- include_vars: more.yml\n- include_vars: {file: other.yml, name: o}\n  when: inventory_hostname == 'd1'\n"
                        + "- copy: {dest: /srv/t/iv, content: \"{{ color }} {{ size }} {{ o.shape | default('none') }}\"}",
                "- include_vars: more.yml\n- include_vars: {file: other.yml, name: o}\n  when: inventory_hostname == \"d1\"\n"
                        + "- copy: {dest: /srv/t/iv, content: \"${color} ${size} ${(o.shape)!'none'}\"}", f, f));
        p.add(tasksWithFiles("include_vars precedence: over task vars and play vars, under set_fact",
                "- include_vars: more.yml\n- copy: {dest: /srv/t/a, content: \"{{ color }}\"}\n  vars: {color: blue}\n"
                        + "- set_fact: {color: yellow}\n- include_vars: more.yml\n- copy: {dest: /srv/t/b, content: \"{{ color }}\"}",
                "- include_vars: more.yml\n- copy: {dest: /srv/t/a, content: \"${color}\"}\n  vars: {color: blue}\n"
                        + "- set_fact: {color: yellow}\n- include_vars: more.yml\n- copy: {dest: /srv/t/b, content: \"${color}\"}", f, f)
                .withPlayVars("color: red"));
        p.add(plays("include_vars in a role reads the role's vars/, seen by the play's later tasks",
                HEAD + "  roles: [iv]\n  tasks:\n    - copy: {dest: /srv/t/fl, content: \"{{ flavour }}\"}\n",
                HEAD + "  roles: [iv]\n  tasks:\n    - copy: {dest: /srv/t/fl, content: \"${flavour}\"}\n", f, f));
    }

    /** import_role and include_role: tasks_from and the other _from files, vars, when, loop, variable visibility, handlers. */
    private static void roleTasks(List<Pair> p) {
        Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put("roles/r/defaults/main.yml", "rdef: default\nwho: nobody\n");
        a.put("roles/r/defaults/other.yml", "rdef: other-default\nwho: nobody\n");
        a.put("roles/r/vars/extra.yml", "rvar: from-vars-file\n");
        a.put("roles/r/tasks/main.yml", "- shell: echo \"main {{ who }} {{ item | default('-') }} {{ rdef }}\" >> /srv/t/log\n  notify: r done\n");
        a.put("roles/r/tasks/second.yml", "- shell: echo \"second {{ who }} {{ rdef }} {{ rvar | default('-') }}\" >> /srv/t/log\n");
        a.put("roles/r/handlers/main.yml", "- name: r done\n  shell: echo handler >> /srv/t/log\n");
        Map<String, String> r = new java.util.LinkedHashMap<>();
        r.put("roles/r/defaults/main.yml", "rdef: default\nwho: nobody\n");
        r.put("roles/r/defaults/other.yml", "rdef: other-default\nwho: nobody\n");
        r.put("roles/r/vars/extra.yml", "rvar: from-vars-file\n");
        r.put("roles/r/tasks/main.yml", "- shell: echo \"main ${who} ${item!'-'} ${rdef}\" >> /srv/t/log\n  notify: r done\n");
        r.put("roles/r/tasks/second.yml", "- shell: echo \"second ${who} ${rdef} ${rvar!'-'}\" >> /srv/t/log\n");
        r.put("roles/r/handlers/main.yml", "- name: r done\n  shell: echo handler >> /srv/t/log\n");
        p.add(tasksWithFiles("import_role with tasks_from, vars and when",
                "- import_role: {name: r, tasks_from: second}\n  vars: {who: imported}\n  when: inventory_hostname == 'd1'",
                "- import_role: {name: r, tasks_from: second}\n  vars: {who: imported}\n  when: inventory_hostname == \"d1\"", a, r));
        p.add(tasksWithFiles("include_role with a loop and vars, its handler",
                "- include_role: {name: r}\n  loop: [x, y]\n  vars: {who: \"{{ inventory_hostname }}\"}",
                "- include_role: {name: r}\n  loop: [x, y]\n  vars: {who: \"${inventory_hostname}\"}", a, r));
        p.add(tasksWithFiles("include_role apply: tags reach the role's tasks",
                "- include_role: {name: r, tasks_from: second, apply: {tags: [x]}}\n  tags: [x]\n- include_role: {name: r}\n  tags: [x]",
                "- include_role: {name: r, tasks_from: second, apply: {tags: [x]}}\n  tags: [x]\n- include_role: {name: r}\n  tags: [x]", a, r, "--tags", "x"));
        p.add(tasksWithFiles("include_role's variables are its own, import_role's the play's",
                "- include_role: {name: r, tasks_from: second.yml, defaults_from: other, vars_from: extra}\n"
                        + "- shell: echo \"after {{ rdef | default('private') }} {{ rvar | default('private') }}\" >> /srv/t/log",
                "- include_role: {name: r, tasks_from: second.yml, defaults_from: other, vars_from: extra}\n"
                        + "- shell: echo \"after ${rdef!'private'} ${rvar!'private'}\" >> /srv/t/log", a, r));
        p.add(tasksWithFiles("import_role's defaults reach the play's later tasks",
                "- import_role: {name: r, tasks_from: second}\n- shell: echo \"after {{ rdef }}\" >> /srv/t/log",
                "- import_role: {name: r, tasks_from: second}\n- shell: echo \"after ${rdef}\" >> /srv/t/log", a, r));
        String common = "- shell: echo common >> /srv/t/log\n";
        p.add(plays("include_role and import_role run a dependency the play's roles ran only once",
                HEAD + "  roles: [app]\n  tasks:\n    - include_role: {name: web}\n    - import_role: {name: web}\n",
                HEAD + "  roles: [app]\n  tasks:\n    - include_role: {name: web}\n    - import_role: {name: web}\n",
                roles(common, false), roles(common, false)));
        p.add(plays("import_role and include_role of a role the play's roles ran",
                HEAD + "  roles: [r]\n  tasks:\n    - import_role: {name: r}\n    - include_role: {name: r}\n      when: inventory_hostname == 'd2'\n",
                HEAD + "  roles: [r]\n  tasks:\n    - import_role: {name: r}\n    - include_role: {name: r}\n      when: inventory_hostname == \"d2\"\n", a, r));
    }

    /** Each role's tasks see their own role's variables above every other role's (Ansible's VariableManager). */
    private static void roleScopes(List<Pair> p) {
        String roles = "  roles:\n    - role: svc\n      vars: {port: 1}\n    - role: svc\n      vars: {port: 2}\n    - ra\n    - rb\n";
        p.add(plays("role scopes: two instances, two roles with one default name, the play after them",
                HEAD + roles + "  tasks:\n    - copy: {dest: /srv/t/play, content: \"{{ shared }} {{ color }} {{ port | default('none') }}\"}\n",
                HEAD + roles + "  tasks:\n    - copy: {dest: /srv/t/play, content: \"${shared} ${color} ${port!'none'}\"}\n",
                Map.of("roles/svc/tasks/main.yml", "- shell: echo {{ port }} >> /srv/t/svc\n",
                        "roles/ra/defaults/main.yml", "shared: from-a\n", "roles/ra/vars/main.yml", "color: red\n",
                        "roles/ra/tasks/main.yml", "- copy: {dest: /srv/t/a, content: \"{{ shared }} {{ color }}\"}\n",
                        "roles/rb/defaults/main.yml", "shared: from-b\n",
                        "roles/rb/tasks/main.yml", "- copy: {dest: /srv/t/b, content: \"{{ shared }} {{ color }}\"}\n"),
                Map.of("roles/svc/tasks/main.yml", "- shell: echo ${port} >> /srv/t/svc\n",
                        "roles/ra/defaults/main.yml", "shared: from-a\n", "roles/ra/vars/main.yml", "color: red\n",
                        "roles/ra/tasks/main.yml", "- copy: {dest: /srv/t/a, content: \"${shared} ${color}\"}\n",
                        "roles/rb/defaults/main.yml", "shared: from-b\n",
                        "roles/rb/tasks/main.yml", "- copy: {dest: /srv/t/b, content: \"${shared} ${color}\"}\n")));
        p.add(plays("role scopes: a dependency sees its parent's vars, the parent its dependency's",
                HEAD + "  roles:\n    - role: top\n      vars: {who: entry}\n",
                HEAD + "  roles:\n    - role: top\n      vars: {who: entry}\n",
                Map.of("roles/top/meta/main.yml", "dependencies: [base]\n", "roles/top/defaults/main.yml", "level: top\n",
                        "roles/top/tasks/main.yml", "- copy: {dest: /srv/t/top, content: \"{{ level }} {{ who }} {{ base_only }}\"}\n",
                        "roles/base/defaults/main.yml", "level: base\nbase_only: b\n",
                        "roles/base/tasks/main.yml", "- copy: {dest: /srv/t/base, content: \"{{ level }} {{ who }}\"}\n"),
                Map.of("roles/top/meta/main.yml", "dependencies: [base]\n", "roles/top/defaults/main.yml", "level: top\n",
                        "roles/top/tasks/main.yml", "- copy: {dest: /srv/t/top, content: \"${level} ${who} ${base_only}\"}\n",
                        "roles/base/defaults/main.yml", "level: base\nbase_only: b\n",
                        "roles/base/tasks/main.yml", "- copy: {dest: /srv/t/base, content: \"${level} ${who}\"}\n")));
        p.add(plays("role scopes: vars/ over the entry's vars (Ansible 2.14), task vars over both",
                HEAD + "  roles:\n    - role: pri\n      vars: {v: entry, w: entry}\n",
                HEAD + "  roles:\n    - role: pri\n      vars: {v: entry, w: entry}\n",
                Map.of("roles/pri/vars/main.yml", "v: vars-dir\n", "roles/pri/tasks/main.yml",
                        "- copy: {dest: /srv/t/pri, content: \"{{ v }} {{ w }}\"}\n- copy: {dest: /srv/t/task, content: \"{{ v }}\"}\n  vars: {v: task}\n"),
                Map.of("roles/pri/vars/main.yml", "v: vars-dir\n", "roles/pri/tasks/main.yml",
                        "- copy: {dest: /srv/t/pri, content: \"${v} ${w}\"}\n- copy: {dest: /srv/t/task, content: \"${v}\"}\n  vars: {v: task}\n")));
    }

    private static Map<String, String> roles(String commonTasks, boolean duplicates) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("roles/common/tasks/main.yml", commonTasks);
        if (duplicates) f.put("roles/common/meta/main.yml", "allow_duplicates: true\n");
        f.put("roles/app/meta/main.yml", "dependencies: [common]\n");
        f.put("roles/app/tasks/main.yml", "- shell: echo app >> /srv/t/log\n");
        f.put("roles/web/meta/main.yml", "dependencies:\n  - role: common\n");
        f.put("roles/web/tasks/main.yml", "- shell: echo web >> /srv/t/log\n");
        return f;
    }
}
