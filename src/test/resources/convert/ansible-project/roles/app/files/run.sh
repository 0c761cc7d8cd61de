#!/bin/sh
# copied as it is: {{ not a template }} ${HOME}
echo "${1:-none}"
