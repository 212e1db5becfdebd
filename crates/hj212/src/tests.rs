//! Parser and encoder tests: one rejected field per test, and round trips.

use time::macros::datetime;

use crate::{crc16, Command, Cp, DataFlag, Packet, PacketError, PacketFlag, PollutantValues};

/// Frames a data segment with its length, CRC and CR LF.
fn frame(data: &str) -> Vec<u8> {
    format!("##{:04}{data}{:04X}\r\n", data.len(), crc16(data.as_bytes())).into_bytes()
}

const REAL_TIME: &str = "QN=20261204080000001;ST=31;CN=2011;PW=123456;MN=35010000DA0010000001;Flag=5;\
CP=&&DataTime=20261204080000;a21026-Rtd=18.5,a21026-ZsRtd=20.1,a21026-Flag=N;a34013-Rtd=4.2,a34013-Flag=D&&";

#[test]
fn real_time_packet_parses() {
    let packet = Packet::parse(&frame(REAL_TIME)).unwrap();

    assert_eq!(packet.qn.as_deref(), Some("20261204080000001"));
    assert_eq!(packet.st, "31");
    assert_eq!(packet.cn, Command::RealTimeData);
    assert_eq!(packet.mn, "35010000DA0010000001");
    assert!(packet.flag.unwrap().wants_reply());
    assert_eq!(packet.flag.unwrap().version(), 1);
    assert_eq!(packet.cp.data_time, Some(datetime!(2026-12-04 08:00:00)));
    assert_eq!(packet.cp.pollutants.len(), 2);
    assert_eq!(packet.cp.pollutants[0].rtd, Some(18.5));
    assert_eq!(packet.cp.pollutants[0].zs_rtd, Some(20.1));
    assert_eq!(packet.cp.pollutants[1].flag, Some(DataFlag::Fault));
}

#[test]
fn hour_packet_with_averages_parses() {
    let data = "QN=20261204090000001;ST=32;CN=2061;PW=123456;MN=35010000DW0010000001;Flag=4;\
CP=&&DataTime=20261204080000;w01018-Avg=82.5,w01018-Min=80.1,w01018-Max=85.0,w01018-Cou=12.5,w01018-Flag=N&&";

    let packet = Packet::parse(&frame(data)).unwrap();

    assert_eq!(packet.cn, Command::HourData);
    assert!(!packet.flag.unwrap().wants_reply());
    let cod = &packet.cp.pollutants[0];
    assert_eq!((cod.avg, cod.min, cod.max, cod.cou), (Some(82.5), Some(80.1), Some(85.0), Some(12.5)));
}

#[test]
fn encode_then_parse_gives_the_same_packet() {
    let packet = Packet {
        qn: Some("20261204080000001".into()),
        st: "32".into(),
        cn: Command::MinuteData,
        pw: "123456".into(),
        mn: "35010000DW0010000001".into(),
        flag: Some(PacketFlag::V2017_REPLY),
        pnum: None,
        pno: None,
        cp: Cp {
            data_time: Some(datetime!(2026-12-04 08:01:00)),
            pollutants: vec![PollutantValues { avg: Some(3.125), min: Some(-0.5), flag: Some(DataFlag::Calibration), ..PollutantValues::new("w21003") }],
            other: vec![("w21003-SampleTime".into(), "20261204080000".into())],
        },
    };

    let bytes = packet.encode().unwrap();

    assert_eq!(Packet::parse(&bytes).unwrap(), packet);
}

#[test]
fn data_response_echoes_qn_and_mn() {
    let upload = Packet::parse(&frame(REAL_TIME)).unwrap();

    let reply = Packet::parse(&upload.data_response().encode().unwrap()).unwrap();

    assert_eq!(reply.cn, Command::DataResponse);
    assert_eq!(reply.st, "91");
    assert_eq!(reply.qn, upload.qn);
    assert_eq!(reply.mn, upload.mn);
    assert_eq!(reply.cp, Cp::default());
}

fn error_of(bytes: &[u8]) -> PacketError {
    Packet::parse(bytes).expect_err("the packet is malformed")
}

#[test]
fn missing_header() {
    assert!(matches!(error_of(b"#0101QN=1\r\n"), PacketError::MissingHeader { .. }));
}

#[test]
fn length_not_four_digits() {
    let mut bytes = frame(REAL_TIME);
    bytes[3] = b'x';

    let error = error_of(&bytes);

    assert!(matches!(&error, PacketError::LengthNotDigits { found } if found.contains('x')), "{error}");
}

#[test]
fn length_mismatch_names_both_lengths() {
    let mut bytes = frame(REAL_TIME);
    bytes[5] += 1;

    let error = error_of(&bytes);

    let actual = REAL_TIME.len();
    assert_eq!(error, PacketError::LengthMismatch { declared: actual + 1, actual });
}

#[test]
fn crc_mismatch_names_both_values() {
    let mut bytes = frame(REAL_TIME);
    let at = bytes.len() - 3;
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };

    let error = error_of(&bytes);

    assert!(matches!(error, PacketError::CrcMismatch { computed, .. } if computed == crc16(REAL_TIME.as_bytes())), "{error}");
    assert!(error.to_string().contains(&format!("{:04X}", crc16(REAL_TIME.as_bytes()))), "{error}");
}

#[test]
fn crc_not_hex() {
    let mut bytes = frame(REAL_TIME);
    let at = bytes.len() - 4;
    bytes[at] = b'G';

    assert!(matches!(error_of(&bytes), PacketError::CrcNotHex { .. }));
}

#[test]
fn missing_crlf() {
    let mut bytes = frame(REAL_TIME);
    bytes.truncate(bytes.len() - 2);
    bytes.push(b'\n');

    assert_eq!(error_of(&bytes), PacketError::MissingCrlf);
}

#[test]
fn data_over_1024_bytes_is_oversize() {
    let values: String = (0..120).map(|i| format!("a{i:05}-Rtd=1.0;")).collect();
    let data = format!("ST=31;CN=2011;PW=123456;MN=X1;CP=&&DataTime=20261204080000;{values}&&");
    assert!(data.len() > 1024);

    assert_eq!(error_of(&frame(&data)), PacketError::Oversize { length: data.len() });
}

#[test]
fn field_without_equals() {
    let data = REAL_TIME.replace("PW=123456", "PW123456");

    assert_eq!(error_of(&frame(&data)), PacketError::FieldWithoutEquals { field: "PW123456".into() });
}

#[test]
fn unknown_command() {
    let data = REAL_TIME.replace("CN=2011", "CN=2099");

    assert_eq!(error_of(&frame(&data)), PacketError::UnknownCommand { value: "2099".into() });
}

#[test]
fn bad_data_time() {
    let data = REAL_TIME.replace("DataTime=20261204080000", "DataTime=20261304080000");

    let error = error_of(&frame(&data));

    assert!(matches!(&error, PacketError::BadDataTime { value, .. } if value == "20261304080000"), "{error}");
}

#[test]
fn bad_number() {
    let data = REAL_TIME.replace("a21026-Rtd=18.5", "a21026-Rtd=1e5");

    assert_eq!(error_of(&frame(&data)), PacketError::BadNumber { field: "a21026-Rtd".into(), value: "1e5".into() });
}

#[test]
fn number_forms_rejected() {
    for value in [".5", "5.", "-", "+1", "1e5", "inf", "NaN", "1.2.3", ""] {
        let data = REAL_TIME.replace("a21026-Rtd=18.5", &format!("a21026-Rtd={value}"));

        let error = error_of(&frame(&data));

        assert!(matches!(&error, PacketError::BadNumber { value: found, .. } if found == value), "{value:?}: {error}");
    }
}

#[test]
fn bad_flag() {
    let data = REAL_TIME.replace("a34013-Flag=D", "a34013-Flag=X");

    assert!(matches!(error_of(&frame(&data)), PacketError::BadFlag { .. }));
}

#[test]
fn data_upload_without_data_time() {
    let data = REAL_TIME.replace("DataTime=20261204080000;", "");

    assert_eq!(error_of(&frame(&data)), PacketError::MissingField { field: "DataTime" });
}

#[test]
fn missing_mn() {
    let data = REAL_TIME.replace("MN=35010000DA0010000001;", "");

    assert_eq!(error_of(&frame(&data)), PacketError::MissingField { field: "MN" });
}

#[test]
fn cp_without_closing_delimiter() {
    let data = REAL_TIME.trim_end_matches('&').to_string();

    assert!(matches!(error_of(&frame(&data)), PacketError::CpNotDelimited { .. }));
}

#[test]
fn duplicate_value_is_rejected() {
    let data = REAL_TIME.replace("a34013-Rtd=4.2", "a21026-Rtd=4.2");

    assert_eq!(error_of(&frame(&data)), PacketError::DuplicateField { field: "a21026-Rtd".into() });
}

#[test]
fn over_long_mn_is_rejected() {
    let data = REAL_TIME.replace("MN=35010000DA0010000001", &format!("MN={}", "A".repeat(25)));

    assert!(matches!(error_of(&frame(&data)), PacketError::InvalidField { field: "MN", .. }));
}

#[test]
fn non_utf8_data_is_rejected() {
    let mut data = REAL_TIME.as_bytes().to_vec();
    data[10] = 0xFF;
    let mut bytes = format!("##{:04}", data.len()).into_bytes();
    bytes.extend_from_slice(&data);
    bytes.extend_from_slice(format!("{:04X}\r\n", crc16(&data)).as_bytes());

    assert_eq!(error_of(&bytes), PacketError::NotText { offset: 16 });
}

#[test]
fn lower_case_crc_is_accepted() {
    let data = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";
    let bytes = format!("##0101{data}1c80\r\n");

    assert!(Packet::parse(bytes.as_bytes()).is_ok());
}

#[test]
fn every_error_kind_is_distinct() {
    let errors = [
        error_of(b"x"),
        error_of(b"##01"),
        error_of(&frame(&REAL_TIME.replace("CN=2011", "CN=1"))),
        error_of(&frame(&REAL_TIME.replace("a21026-Rtd=18.5", "a21026-Rtd=x"))),
    ];
    let kinds: std::collections::BTreeSet<&str> = errors.iter().map(PacketError::kind).collect();

    assert_eq!(kinds.len(), errors.len(), "{kinds:?}");
}
