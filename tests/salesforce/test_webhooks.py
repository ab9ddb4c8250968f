"""Outbound message parsing, org checks, hostile XML and the acknowledgement."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msplink.salesforce.webhooks import OutboundMessageError, ack, parse_outbound_message

ORG = "00DdM00000vfgTuUAI"


def message(org: str = ORG, name: str = "Acme &amp; Co") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>{org}</OrganizationId>
   <ActionId>04kdM000000Gmq1QAC</ActionId>
   <SessionId>00DdM00000vfgTu!secret-session</SessionId>
   <EnterpriseUrl>https://acme-msp.my.salesforce.com/services/Soap/c/62.0/00DdM00000vfgTu</EnterpriseUrl>
   <PartnerUrl>https://acme-msp.my.salesforce.com/services/Soap/u/62.0/00DdM00000vfgTu</PartnerUrl>
   <Notification>
    <Id>04ldM00000AbCdEQAV</Id>
    <sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>001dM00003kS2ndQAC</sf:Id>
     <sf:CW_Company_Id__c>19342</sf:CW_Company_Id__c>
     <sf:Name>{name}</sf:Name>
     <sf:Phone xsi:nil="true"/>
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>""".encode()


def test_parses_notifications_and_hides_the_session():
    parsed = parse_outbound_message(message(), organization_id=ORG[:15])
    assert parsed.organization_id == ORG
    [note] = parsed.notifications
    assert (note.sobject_type, note.record_id) == ("Account", "001dM00003kS2ndQAC")
    assert note.fields == {
        "Id": "001dM00003kS2ndQAC",
        "CW_Company_Id__c": "19342",
        "Name": "Acme & Co",
        "Phone": None,
    }
    assert "secret-session" not in repr(parsed)


def test_other_org_and_hostile_xml_are_refused():
    with pytest.raises(OutboundMessageError, match="unexpected organization"):
        parse_outbound_message(message(org="00DXX0000000001AAA"), organization_id=ORG)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(OutboundMessageError, match="DOCTYPE"):
        parse_outbound_message(bomb, organization_id=ORG)
    with pytest.raises(OutboundMessageError):
        parse_outbound_message(b"not xml", organization_id=ORG)
    with pytest.raises(OutboundMessageError):
        parse_outbound_message(b"<a/>", organization_id=ORG)


def test_ack():
    assert b"<Ack>true</Ack>" in ack()
    assert b"<Ack>false</Ack>" in ack(False)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=40))
def test_any_field_text_round_trips(text):
    from xml.sax.saxutils import escape

    parsed = parse_outbound_message(message(name=escape(text)), organization_id=ORG)
    assert parsed.notifications[0].fields["Name"] == text
