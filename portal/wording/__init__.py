"""Every word the portal shows for a code (states, events, kinds), keyed by the codes of
portal/states.py (a StrEnum member is its string, so both look up alike): the customer's words in
`customer`, staff's in `staff`."""
