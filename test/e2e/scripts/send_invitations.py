#!/usr/bin/env python3
# The administrator guide's notification script, reduced to what it reads: the results CSV through
# csv.DictReader by header name (Status, Name, Encoded Data, Valid Days). Prints one JSON line per row.
import csv
import json
import sys

with open(sys.argv[1], 'r') as infile:
    reader = csv.DictReader(infile)
    for row in reader:
        if row['Status'] != 'Success':
            continue
        print(json.dumps({'name': row['Name'], 'encoded': row['Encoded Data'], 'valid_days': row['Valid Days']}))
